import pytest

from tests.spotchecks.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # 整改材料 land in a throwaway directory, never in var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
