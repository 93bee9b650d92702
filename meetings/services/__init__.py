"""State changes that span several objects (after pretix's services).

Each service runs in a transaction holding a row lock where two users (or two app servers) could
race, checks that the change is allowed, and leaves a record in the audit log (django-simple-history,
with a change reason). Views parse the request, call one service and render: they never take a row
lock or open a transaction themselves.

- ``drafting``: the secretary's edits of a draft protokoll, with optimistic locking (versions).
- ``justering``: sending to justering, signing, sending back (the protokoll's state machine).
- ``anslag``: posting the anslag, the public text for search, archiving.
- ``correction``: rättelse of a justerat protokoll.
- ``notifications``: the e-mails those steps send.
"""
