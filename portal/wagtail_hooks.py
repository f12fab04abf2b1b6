"""Admin edits that change what public pages show, beyond pages themselves: snippets
(the centre registry, event formats, resource kinds, partners…) appear in listings and
page headers, so creating, editing or deleting one gives every cached page a new key
(portal.cache), like a publication does."""

from wagtail import hooks

from .cache import bump_content_version


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def snippet_changed(request, instance_or_instances):
    bump_content_version()
