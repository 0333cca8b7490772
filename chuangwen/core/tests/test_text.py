from chuangwen.core.text import clean_cell, mask_phone, normalize_name, normalize_phone, uncircle


def test_full_width_text_and_spaces_are_normalised():
    assert clean_cell("  青石区　商务局（牵头）  ") == "青石区 商务局(牵头)"
    assert clean_cell(12.0) == "12"
    assert clean_cell(None) == ""


def test_names_written_differently_share_one_key():
    assert (
        normalize_name("青石区 商务局") == normalize_name("青石区商务局") == normalize_name("青石区商务局。")
    )


def test_phone_numbers_are_recognised_and_masked():
    assert normalize_phone("139 0000 1234") == "13900001234"
    assert normalize_phone("+86 139-0000-1234".replace("-", "")) == "13900001234"
    assert normalize_phone("0371-6123456") == "0371-6123456"
    assert normalize_phone("12345") is None
    assert mask_phone("13900001234") == "139****1234"


def test_circled_numbers_become_digits():
    assert uncircle("①宣传②整治") == "1宣传2整治"
