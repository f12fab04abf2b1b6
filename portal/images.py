"""Image encoding for renditions (portal/covers.py).

AVIF is the smallest format browsers read, but Willow (Wagtail's image library) encodes
it at libavif's default speed (6): 0.4 to 0.9 s for one rendition of a card on a small
server, paid by the visitor who first sees the image. At speed 8 it takes a fifth of that
for files about 10 % larger, still well under WebP's. The operation below is Willow's
own `save_as_avif`, with the speed added; it takes the place of Willow's (on its Pillow
image class and in its operation registry) when the portal starts."""

from django.conf import settings

AVIF_SPEED = 8


def save_as_avif(image, f, quality=80, lossless=False, apply_optimizers=True):
    from willow.image import AvifImageFile

    kwargs = {"quality": quality}
    if lossless:
        kwargs = {"quality": 100, "subsampling": "4:4:4"}
    kwargs["speed"] = getattr(settings, "PORTAL_AVIF_SPEED", AVIF_SPEED)
    pillow_image = image.image
    icc_profile = image.get_icc_profile()
    if icc_profile is not None:
        if pillow_image.mode == "CMYK":
            converted = image.transform_colorspace_to_srgb()
            pillow_image = converted.image
            kwargs["icc_profile"] = converted.get_icc_profile()
        else:
            kwargs["icc_profile"] = icc_profile
    pillow_image.save(f, "AVIF", **kwargs)
    if not lossless and apply_optimizers:
        image.optimize(f, "heic")
    return AvifImageFile(f)


def register():
    from willow.plugins.pillow import PillowImage
    from willow.registry import registry

    # An operation is a method of its image class (called directly on an image of that
    # class) and an entry of the registry (found for an image of another class): both.
    # UPGRADE CHECKPOINT Willow==1.12.0: `PillowImage.save_as_avif`'s signature and body, replaced in Willow's registry with the encoder's speed added (tests/test_covers.py::test_avif_renditions_are_encoded_at_the_portals_speed)
    PillowImage.save_as_avif = save_as_avif
    registry.register_operation(PillowImage, "save_as_avif", save_as_avif)
