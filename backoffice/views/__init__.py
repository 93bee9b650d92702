"""Views of the back office, one module per page group; each fetches its object through
``meetings.access`` (or ``common``) and changes state only through ``meetings.services``."""
