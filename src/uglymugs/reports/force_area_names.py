"""The police force areas' names as gettext messages, so the report form shows them
in the person's language.

The ids and English names live in ``uglymugs/data/police_force_areas.yaml``; Babel
extracts messages only from code, so the names are repeated here as msgids (a test
keeps the two in step). Asking where it happened by force area rather than by town
alone lets figures be counted per area without staff guessing from a street name.

>>> FORCE_AREA_NAMES["merseyside"]
'Merseyside'
"""

from __future__ import annotations

from uglymugs.i18n import N_

FORCE_AREA_NAMES: dict[str, str] = {
    "avon-and-somerset": N_("Avon and Somerset"),
    "bedfordshire": N_("Bedfordshire"),
    "cambridgeshire": N_("Cambridgeshire"),
    "cheshire": N_("Cheshire"),
    "city-of-london": N_("City of London"),
    "cleveland": N_("Cleveland"),
    "cumbria": N_("Cumbria"),
    "derbyshire": N_("Derbyshire"),
    "devon-and-cornwall": N_("Devon and Cornwall"),
    "dorset": N_("Dorset"),
    "durham": N_("Durham"),
    "essex": N_("Essex"),
    "gloucestershire": N_("Gloucestershire"),
    "greater-manchester": N_("Greater Manchester"),
    "hampshire": N_("Hampshire and Isle of Wight"),
    "hertfordshire": N_("Hertfordshire"),
    "humberside": N_("Humberside"),
    "kent": N_("Kent"),
    "lancashire": N_("Lancashire"),
    "leicestershire": N_("Leicestershire"),
    "lincolnshire": N_("Lincolnshire"),
    "merseyside": N_("Merseyside"),
    "metropolitan": N_("Metropolitan Police District (Greater London)"),
    "norfolk": N_("Norfolk"),
    "north-yorkshire": N_("North Yorkshire"),
    "northamptonshire": N_("Northamptonshire"),
    "northumbria": N_("Northumbria"),
    "nottinghamshire": N_("Nottinghamshire"),
    "south-yorkshire": N_("South Yorkshire"),
    "staffordshire": N_("Staffordshire"),
    "suffolk": N_("Suffolk"),
    "surrey": N_("Surrey"),
    "sussex": N_("Sussex"),
    "thames-valley": N_("Thames Valley"),
    "warwickshire": N_("Warwickshire"),
    "west-mercia": N_("West Mercia"),
    "west-midlands": N_("West Midlands"),
    "west-yorkshire": N_("West Yorkshire"),
    "wiltshire": N_("Wiltshire"),
    "dyfed-powys": N_("Dyfed-Powys"),
    "gwent": N_("Gwent"),
    "north-wales": N_("North Wales"),
    "south-wales": N_("South Wales"),
    "scotland": N_("Scotland (Police Scotland)"),
    "northern-ireland": N_("Northern Ireland (Police Service of Northern Ireland)"),
}
