"""Uploads built to cost the server: verifying a file is bounded by what the file may claim
(the shape of a certificate we issue: one signature field, our name, nothing after it),
counted, never timed."""

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import validation
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from bimtek.certificates import signing, verification
from tests.certificates.test_signing import changed_name, upload


def _field(name: str, signature) -> generic.DictionaryObject:
    return generic.DictionaryObject(
        {
            generic.NameObject("/FT"): generic.NameObject("/Sig"),
            generic.NameObject("/T"): generic.TextStringObject(name),
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Widget"),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(0)] * 4),
            generic.NameObject("/V"): signature,
        }
    )


def extra_signature_fields(data: bytes, count: int, *, nested: bool = False) -> bytes:
    """``data`` with ``count`` more signature fields pointing at its one real signature,
    added as an incremental update: side by side in /Fields, or as kids of one field."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    form = writer.root["/AcroForm"]
    fields = form["/Fields"]
    signature = fields[0].get_object().raw_get("/V")
    copies = [writer.add_object(_field(f"Salinan{n}", signature)) for n in range(count)]
    if nested:
        parent = generic.DictionaryObject(
            {
                generic.NameObject("/FT"): generic.NameObject("/Sig"),
                generic.NameObject("/T"): generic.TextStringObject("Induk"),
                generic.NameObject("/Kids"): generic.ArrayObject(copies),
            }
        )
        fields.append(writer.add_object(parent))
    else:
        fields.extend(copies)
    page = writer.root["/Pages"]["/Kids"][0]
    page["/Annots"].extend(copies)
    writer.update_container(form)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def renamed_field(data: bytes) -> bytes:
    """The one signature, its field renamed (another tool's shape), as an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    field = writer.root["/AcroForm"]["/Fields"][0]
    field["/T"] = generic.TextStringObject("Signature1")
    writer.update_container(field)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def validations(monkeypatch):
    """How many signatures pyHanko was asked to validate."""

    calls = []
    real = validation.validate_pdf_signature

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(validation, "validate_pdf_signature", counted)
    return calls


NOT_OURS = {"status": "unknown", "reason": "unexpected_shape", "certificate": None}


@pytest.mark.parametrize("nested", [False, True], ids=["side-by-side", "as-kids"])
def test_3000_signature_fields_on_one_signature_are_not_ours_at_once(
    client, issued, validations, nested
):
    hostile = extra_signature_fields(issued.document, 3000, nested=nested)
    assert hostile.startswith(issued.document) and len(hostile) < 2 * 1024 * 1024
    body = upload(client, hostile).get_json()
    assert {key: body[key] for key in NOT_OURS} == NOT_OURS
    assert body["signature"] is None
    assert validations == []
    page = upload(client, hostile, url="/verify").get_data(as_text=True)
    assert 'data-status="unknown"' in page and issued.name not in page


def test_a_signature_field_by_another_name_is_not_ours(client, issued, validations):
    body = upload(client, renamed_field(issued.document)).get_json()
    assert {key: body[key] for key in NOT_OURS} == NOT_OURS
    assert validations == []


def test_an_issued_file_validates_its_one_signature_once(client, issued, validations):
    assert upload(client, issued.document).get_json()["status"] == "genuine"
    assert len(validations) == 1


def test_a_later_revision_is_answered_from_the_signed_part_without_validating(
    client, issued, validations
):
    body = upload(client, changed_name(issued.document)).get_json()
    assert body["status"] == "modified" and body["reason"] == "changed_after_signing"
    assert body["certificate"]["number"] == issued.number
    assert validations == []


def test_the_field_name_checked_is_the_one_signing_writes(issued):

    (field,) = PdfReader(io.BytesIO(issued.document)).get_fields().values()
    assert field["/T"] == signing.FIELD_NAME and field["/FT"] == "/Sig"


@pytest.mark.parametrize("app_config", [{"CERT_VERIFY_SECONDS": 0.000001}])
def test_a_check_past_its_time_is_answered_not_checked(client, app_config, issued):
    """The clock is the second wall (a file whose parsing alone is slow): a budget nothing
    can meet shows its answer."""
    edited = bytearray(issued.document)
    edited[len(edited) // 3] ^= 0x01
    body = upload(client, bytes(edited)).get_json()
    assert body["status"] == "unknown" and body["reason"] == "not_checked_in_time"
    assert body["certificate"] is None


def test_an_unsigned_file_naming_many_codes_is_looked_up_a_few_times(client, app):

    codes = [
        f"{n:04d}".translate(str.maketrans("0123456789", "ABCDEFGHJK")) * 6 for n in range(200)
    ]
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setKeywords("; ".join(f"kode verifikasi {code}" for code in codes))
    canvas.drawString(100, 700, "Bukan sertifikat")
    canvas.save()
    data = buffer.getvalue()
    assert verification._claimed_codes(data, None) == codes[: verification.MAX_CLAIMS]
    body = upload(client, data).get_json()
    assert body["status"] == "unknown" and body["reason"] == "no_claim"
