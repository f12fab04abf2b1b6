"""Documents: checks on every upload (single and multiple), each refusal with one clear
reason, and the serve view's headers put right. Wagtail itself refuses extensions
outside WAGTAILDOCS_EXTENSIONS and files over WAGTAILDOCS_MAX_UPLOAD_SIZE (bytes, set in
settings)."""

from wagtail.documents.forms import BaseDocumentForm


class DocumentForm(BaseDocumentForm):
    # UPGRADE CHECKPOINT Django==5.2.19: `BaseModelForm._post_clean()` adds the model's errors after the fields'; `ErrorList.data` (tests/test_publications_documents.py::test_an_oversized_pdf_is_refused_for_its_size_only)
    def _post_clean(self):
        refused_file = "file" in self.errors
        super()._post_clean()
        if refused_file:
            # Once the field has refused the upload (too large, say), the model has no
            # file left and its own validation adds "extension « » not allowed": a
            # second, wrong reason. Keep the field's own.
            del self.errors["file"].data[1:]


def serve(request, document_id, document_filename):
    """Wagtail's document view, without the `Content-Encoding: None` header its sendfile
    helper writes for every file whose type has no encoding (all of them: a browser or a
    proxy may then refuse or mangle the download)."""
    from wagtail.documents.views.serve import serve as wagtail_serve

    response = wagtail_serve(request, document_id, document_filename)
    if response.get("Content-Encoding") == "None":
        del response["Content-Encoding"]
    return response
