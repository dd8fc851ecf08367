"""infra/README.md stays true: what survives a tear-down, and the parameters it names."""

import re

from tests.infra.template import ROOT, template

README = ROOT / "infra" / "README.md"


def test_what_the_readme_says_is_kept_is_exactly_what_the_template_retains():
    rows = re.findall(r"^\| (`[^|]+`)[^|]* \| [^|]+ \| (yes|no)\b", README.read_text(), re.M)
    said = {}
    for names, kept in rows:
        for name in re.findall(r"`(\w+)`", names):
            said[name] = kept == "yes"
    resources = template()["Resources"]
    retained = {
        name for name, resource in resources.items() if resource.get("DeletionPolicy") == "Retain"
    }
    assert {name for name, kept in said.items() if kept} == retained
    assert set(said) <= set(resources)


def test_every_parameter_is_named_and_those_without_a_default_explained():
    text = README.read_text()
    for name, spec in template()["Parameters"].items():
        assert name in text, name
        if "Default" not in spec:
            assert f"| `{name}` |" in text, name
