"""Geometry input is validated at the edge; areas are geodesic, never degrees²."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Polygon, box

from tests.factories import rect
from wangge.core.errors import DomainError
from wangge.core.geo import area_km2, is_noise, parse_areal, parse_point

BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[102.84, 24.87], [102.85, 24.88], [102.85, 24.87], [102.84, 24.88], [102.84, 24.87]]
    ],
}


class TestParsePoint:
    def test_it_accepts_a_point_in_kunming(self):
        p = parse_point("102.85", 24.88)
        assert (p.x, p.y) == (102.85, 24.88)

    def test_it_names_swapped_longitude_and_latitude(self):
        with pytest.raises(DomainError) as exc:
            parse_point(24.88, 102.85)
        assert exc.value.field == "lat"
        assert "swapped" in exc.value.message

    def test_it_refuses_a_longitude_out_of_range(self):
        with pytest.raises(DomainError) as exc:
            parse_point(190, 24)
        assert exc.value.field == "lon"
        assert "out of range" in exc.value.message

    @pytest.mark.parametrize("bad", ["abc", None, "nan", "inf", ""])
    def test_it_refuses_non_numbers(self, bad):
        with pytest.raises(DomainError) as exc:
            parse_point(bad, 24.88)
        assert exc.value.field == "lon"


class TestParseAreal:
    def test_it_accepts_a_polygon(self):
        assert parse_areal(rect(102.84, 24.87, 102.85, 24.88)).area > 0

    def test_it_names_a_self_intersecting_polygon(self):
        with pytest.raises(DomainError) as exc:
            parse_areal(BOWTIE)
        assert "self-intersecting" in exc.value.message

    def test_it_refuses_an_open_ring(self):
        ring = [*rect(102.84, 24.87, 102.85, 24.88)["coordinates"][0][:-1], [102.841, 24.87]]
        with pytest.raises(DomainError, match="not closed"):
            parse_areal({"type": "Polygon", "coordinates": [ring]})

    def test_it_refuses_other_geometry_types(self):
        with pytest.raises(DomainError, match="Polygon or MultiPolygon"):
            parse_areal({"type": "Point", "coordinates": [102.8, 24.8]})

    def test_it_refuses_swapped_coordinates(self):
        with pytest.raises(DomainError, match="swapped"):
            parse_areal(rect(24.87, 102.84, 24.88, 102.85))


class TestArea:
    def test_a_degree_square_at_the_equator_is_about_12300_km2(self):
        # 1° of longitude and of latitude at the equator: 111.32 km × 110.57 km.
        assert area_km2(box(0, 0, 1, 1)) == pytest.approx(12_308, rel=0.002)

    def test_a_degree_square_shrinks_with_the_cosine_of_latitude(self):
        ratio = area_km2(box(102, 60, 103, 61)) / area_km2(box(102, 0, 103, 1))
        assert ratio == pytest.approx(
            math.cos(math.radians(60.5)), rel=0.02
        )  # ellipsoid, not sphere

    @given(
        st.floats(min_value=-170, max_value=170),
        st.floats(min_value=-60, max_value=60),
        st.floats(min_value=0.001, max_value=0.5),
    )
    def test_area_does_not_depend_on_longitude(self, lon, lat, size):
        a = area_km2(box(lon, lat, lon + size, lat + size))
        b = area_km2(box(lon + 5, lat, lon + 5 + size, lat + size))
        assert a == pytest.approx(b, rel=1e-6)
        assert a > 0


def test_a_hairline_sliver_is_noise_but_a_one_metre_strip_is_not():
    hair = Polygon(
        [(102.84, 24.87), (102.86, 24.87), (102.86, 24.87 + 1e-9), (102.84, 24.87 + 1e-9)]
    )
    strip = Polygon(
        [(102.84, 24.87), (102.86, 24.87), (102.86, 24.87 + 1e-5), (102.84, 24.87 + 1e-5)]
    )
    assert is_noise(hair, min_area_m2=1.0, min_width_m=0.05)
    assert not is_noise(strip, min_area_m2=1.0, min_width_m=0.05)
