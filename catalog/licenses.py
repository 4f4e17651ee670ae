"""The license register: CKAN 1.6's default list of licenses.

Each license is a dict with the keys CKAN 1.6 exposed (`id`, `title`, `url`,
`is_okd_compliant`, `is_osi_compliant`, `status`, the domains, `family`,
`maintainer`). A dataset is *open* when its license is OKD-compliant.
"""


def _license(id, title, url="", okd=False, osi=False, content=False, data=False, software=False, family=""):
    return {
        "id": id,
        "title": title,
        "url": url,
        "is_okd_compliant": okd,
        "is_osi_compliant": osi,
        "status": "active",
        "domain_content": content,
        "domain_data": data,
        "domain_software": software,
        "family": family,
        "maintainer": "",
    }


LICENSES = [
    _license("notspecified", "License Not Specified", content=True, data=True, software=True),
    _license("odc-pddl", "Open Data Commons Public Domain Dedication and Licence (PDDL)",
             "http://www.opendefinition.org/licenses/odc-pddl", okd=True, data=True),
    _license("odc-odbl", "Open Data Commons Open Database License (ODbL)",
             "http://www.opendefinition.org/licenses/odc-odbl", okd=True, data=True),
    _license("odc-by", "Open Data Commons Attribution License",
             "http://www.opendefinition.org/licenses/odc-by", okd=True, data=True),
    _license("cc-zero", "Creative Commons CCZero",
             "http://www.opendefinition.org/licenses/cc-zero", okd=True, content=True, data=True),
    _license("cc-by", "Creative Commons Attribution",
             "http://www.opendefinition.org/licenses/cc-by", okd=True, content=True),
    _license("cc-by-sa", "Creative Commons Attribution Share-Alike",
             "http://www.opendefinition.org/licenses/cc-by-sa", okd=True, content=True),
    _license("gfdl", "GNU Free Documentation License",
             "http://www.opendefinition.org/licenses/gfdl", okd=True, content=True),
    _license("other-open", "Other (Open)", okd=True, content=True),
    _license("other-pd", "Other (Public Domain)", okd=True, content=True),
    _license("other-at", "Other (Attribution)", okd=True, content=True),
    _license("uk-ogl", "UK Open Government Licence (OGL)",
             "http://reference.data.gov.uk/id/open-government-licence", okd=True, content=True, data=True),
    _license("cc-nc", "Creative Commons Non-Commercial (Any)",
             "http://creativecommons.org/licenses/by-nc/2.0/", content=True),
    _license("other-nc", "Other (Non-Commercial)", content=True),
    _license("other-closed", "Other (Not Open)", content=True),
]

LICENSES_BY_ID = {lic["id"]: lic for lic in LICENSES}


def license_list():
    """Every license of the register, as dicts (copies)."""
    return [dict(lic) for lic in LICENSES]


def get_license(license_id):
    """The license with `license_id`, or None for an id outside the register."""
    return LICENSES_BY_ID.get(license_id or "")


def is_open(license_id):
    lic = get_license(license_id)
    return bool(lic and lic["is_okd_compliant"])
