"""The public verification page: is this PDF (or hash) an authentic justerat protokoll from here?"""

from __future__ import annotations

import hashlib
import re

from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import models as m
from ..seal import check_seal

MAX_UPLOAD = 20 * 1024 * 1024
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _find(digest: str) -> tuple[m.Justering | None, m.IssuedPdf | None]:
    """The completed justering whose issued PDF or signed content has this SHA-256."""
    signatures = Prefetch("signatures", queryset=m.Signature.objects.filter(status="signerat").select_related("person"))
    issued = m.IssuedPdf.objects.filter(sha256=digest).first()
    rounds = m.Justering.objects.filter(status=m.JusteringStatus.JUSTERAT).select_related("meeting__organ")
    if issued is not None:
        return rounds.prefetch_related(signatures).filter(pk=issued.justering_id).first(), issued
    justering = rounds.prefetch_related(signatures).filter(Q(content_hash=digest)).first()
    return justering, None


def verify(request: HttpRequest) -> HttpResponse:
    context: dict = {"max_mb": MAX_UPLOAD // (1024 * 1024)}
    if request.method == "POST":
        upload = request.FILES.get("pdf")
        pasted = request.POST.get("hash", "").strip().lower()[:200]
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                context["error"] = f"Filen är för stor. Högst {context['max_mb']} MB."
                return render(request, "verification/verify.html", context, status=400)
            data = upload.read(MAX_UPLOAD + 1)
            digest = hashlib.sha256(data).hexdigest()
            context["seal"] = check_seal(data)
        elif HEX64.match(pasted):
            digest = pasted
        else:
            context["error"] = "Välj en PDF-fil eller klistra in en SHA-256-kontrollsumma (64 tecken 0–9, a–f)."
            return render(request, "verification/verify.html", context, status=400)
        justering, issued = _find(digest)
        context.update({"checked": True, "digest": digest, "justering": justering, "issued": issued})
    return render(request, "verification/verify.html", context)
