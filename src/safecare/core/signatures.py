"""Signing documents (rules: Everywhere): who, when, and exactly which version."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from .models import Signature, User


def content_hash(content: Any) -> str:
    """SHA-256 of a document's content in a canonical JSON form."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def signatures_of(document: models.Model) -> list[Signature]:
    return list(
        Signature.objects.filter(
            document_type=ContentType.objects.get_for_model(document), document_id=document.pk
        ).select_related("signer")
    )


@transaction.atomic
def sign(*, actor: User, document: models.Model, content: Any, signed_as: str) -> Signature:
    """Sign `document` (an immutable version row) as it is now.

    `content` is what the signer was shown; its hash is kept so anyone can later
    show the signature covers exactly that text. Signing twice is refused.
    """
    if actor.service_id is None or actor.service_id != getattr(document, "service_id", None):
        raise ValidationError({"signature": "Signature: you can only sign your own service's documents"})
    try:
        with transaction.atomic():
            return Signature.objects.create(
                service_id=actor.service_id,
                document_type=ContentType.objects.get_for_model(document),
                document_id=document.pk,
                signer=actor,
                signer_role=actor.role,
                signed_as=signed_as,
                content_hash=content_hash(content),
            )
    except IntegrityError as error:
        raise ValidationError({"signature": "Signature: you have already signed this version"}) from error


def signature_is_intact(signature: Signature, content: Any) -> bool:
    """Whether the content still hashes to what was signed."""
    return signature.content_hash == content_hash(content)


def check_signatures(signatures: Iterable[Signature], content: Any) -> list[Signature]:
    """The document's signatures in the order they were made, each marked `intact` or not.

    rules: Everywhere: a change after signing voids the signatures that follow it. A
    signature is intact while the document's content still hashes to what it signed and
    every signature before it is intact: once one is broken, the document changed after
    it, so it and every later one are broken (a later one may match the changed text, but
    it was never a signature of what the others signed). Anything that shows or counts
    signatures calls this; a broken one is shown as broken and never counts.
    """
    expected = content_hash(content)
    ordered = sorted(signatures, key=lambda s: (s.signed_at, s.pk or 0))
    intact = True
    for signature in ordered:
        intact = intact and signature.content_hash == expected
        signature.intact = intact  # type: ignore[attr-defined]
    return ordered


def intact_only(signatures: Iterable[Signature]) -> list[Signature]:
    """Those of `signatures` (already checked) that still count."""
    return [s for s in signatures if getattr(s, "intact", False)]
