"""Organisation types and charity regulators, shared by organisations and rounds."""

import enum


class OrganisationType(enum.Enum):
    REGISTERED_CHARITY = "registered_charity"
    CIO = "cio"
    CHARITABLE_COMPANY = "charitable_company"
    CIC = "cic"
    COMMUNITY_GROUP = "community_group"
    LOCAL_AUTHORITY = "local_authority"
    COMMUNITY_SAFETY_PARTNERSHIP = "community_safety_partnership"
    SCHOOL = "school"
    FAITH_GROUP = "faith_group"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ORGANISATION_TYPE_LABELS[self]


ORGANISATION_TYPE_LABELS = {
    OrganisationType.REGISTERED_CHARITY: "Registered charity",
    OrganisationType.CIO: "Charitable incorporated organisation (CIO)",
    OrganisationType.CHARITABLE_COMPANY: "Charitable company",
    OrganisationType.CIC: "Community interest company (CIC)",
    OrganisationType.COMMUNITY_GROUP: "Constituted community group",
    OrganisationType.LOCAL_AUTHORITY: "Local authority",
    OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP: "Community Safety Partnership",
    OrganisationType.SCHOOL: "School",
    OrganisationType.FAITH_GROUP: "Faith group",
    OrganisationType.OTHER: "Other not-for-profit organisation",
}


class CharityRegulator(enum.Enum):
    """Each regulator's numbers take their own org-id prefix."""

    CCEW = "ccew"  # Charity Commission for England and Wales
    OSCR = "oscr"  # Office of the Scottish Charity Regulator
    CCNI = "ccni"  # Charity Commission for Northern Ireland

    @property
    def org_id_prefix(self) -> str:
        return {"ccew": "GB-CHC", "oscr": "GB-SC", "ccni": "GB-NIC"}[self.value]

    @property
    def label(self) -> str:
        return {
            "ccew": "Charity Commission for England and Wales",
            "oscr": "Office of the Scottish Charity Regulator (OSCR)",
            "ccni": "Charity Commission for Northern Ireland",
        }[self.value]
