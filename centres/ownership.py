"""Which centre owns a page, a document or an image? Answered from structure alone:
the page tree a centre's home page roots, the collection named on its record."""

from django.contrib.auth.models import AnonymousUser

from .models import Centre


def centre_for_page(page) -> Centre | None:
    return Centre.objects.owning_path(page.path).first()


def centre_for_collection(collection) -> Centre | None:
    return Centre.objects.owning_collection_path(collection.path).first()


def centre_for_document(document) -> Centre | None:
    return centre_for_collection(document.collection)


def centre_for_image(image) -> Centre | None:
    return centre_for_collection(image.collection)


def centres_of_user(user) -> list[Centre]:
    """Centres whose editors group the user belongs to."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return []
    return list(Centre.objects.filter(editors_group__user=user).select_related("home_page"))
