"""Every kind of document has a default template in congress/document_templates/ that the console's upload
check accepts, so an office can download it, change it and upload it back."""

import pytest

from congress import documents


@pytest.mark.parametrize("kind", sorted(documents.KINDS))
def test_the_default_template_of_each_kind_passes_the_upload_check(kind):
    data = (documents.DEFAULTS / documents.KINDS[kind].template).read_bytes()
    documents.check_template(data)  # raises ValueError for a template docxtpl cannot fill
    assert data.startswith(b"PK")
