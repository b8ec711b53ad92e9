"""The site's trimmed theme stylesheet (alignkit.build.site.purge_css)."""


def test_trimmed_css_keeps_a_rule_whose_unused_class_is_only_inside_not():
    """The theme's dark-mode box for HTML outputs reads `.text_html:not(:has(table.dataframe))`: no page
    has a pandas table any more, and the rule must stay (found by the screenshot test)."""
    from alignkit.build.site import purge_css

    css = (
        "html .cell_output .text_html:not(:has(table.dataframe)){color:red}"
        ".dataframe td{color:blue}.gone:not(.text_html){color:green}"
    )
    out = purge_css(css, {"html", "cell_output", "text_html"})
    assert ".text_html:not(:has(table.dataframe)){color:red}" in out
    assert ".dataframe td" not in out and ".gone" not in out
