#!/usr/bin/env python3
"""Writes the chemical elements as distree entries (TSV): each element under its name, its
symbol and its category, linking to its Wikipedia article. The facts are public knowledge;
this file and its output are in the public domain.

usage: python3 make-entries.py > entries.tsv
"""
import sys

ELEMENTS = """H Hydrogen nonmetal|He Helium noble-gas|Li Lithium alkali-metal|Be Beryllium alkaline-earth-metal|B Boron metalloid|C Carbon nonmetal|N Nitrogen nonmetal|O Oxygen nonmetal|F Fluorine halogen|Ne Neon noble-gas|Na Sodium alkali-metal|Mg Magnesium alkaline-earth-metal|Al Aluminium post-transition-metal|Si Silicon metalloid|P Phosphorus nonmetal|S Sulfur nonmetal|Cl Chlorine halogen|Ar Argon noble-gas|K Potassium alkali-metal|Ca Calcium alkaline-earth-metal|Sc Scandium transition-metal|Ti Titanium transition-metal|V Vanadium transition-metal|Cr Chromium transition-metal|Mn Manganese transition-metal|Fe Iron transition-metal|Co Cobalt transition-metal|Ni Nickel transition-metal|Cu Copper transition-metal|Zn Zinc transition-metal|Ga Gallium post-transition-metal|Ge Germanium metalloid|As Arsenic metalloid|Se Selenium nonmetal|Br Bromine halogen|Kr Krypton noble-gas|Rb Rubidium alkali-metal|Sr Strontium alkaline-earth-metal|Y Yttrium transition-metal|Zr Zirconium transition-metal|Nb Niobium transition-metal|Mo Molybdenum transition-metal|Tc Technetium transition-metal|Ru Ruthenium transition-metal|Rh Rhodium transition-metal|Pd Palladium transition-metal|Ag Silver transition-metal|Cd Cadmium transition-metal|In Indium post-transition-metal|Sn Tin post-transition-metal|Sb Antimony metalloid|Te Tellurium metalloid|I Iodine halogen|Xe Xenon noble-gas|Cs Caesium alkali-metal|Ba Barium alkaline-earth-metal|La Lanthanum lanthanide|Ce Cerium lanthanide|Pr Praseodymium lanthanide|Nd Neodymium lanthanide|Pm Promethium lanthanide|Sm Samarium lanthanide|Eu Europium lanthanide|Gd Gadolinium lanthanide|Tb Terbium lanthanide|Dy Dysprosium lanthanide|Ho Holmium lanthanide|Er Erbium lanthanide|Tm Thulium lanthanide|Yb Ytterbium lanthanide|Lu Lutetium lanthanide|Hf Hafnium transition-metal|Ta Tantalum transition-metal|W Tungsten transition-metal|Re Rhenium transition-metal|Os Osmium transition-metal|Ir Iridium transition-metal|Pt Platinum transition-metal|Au Gold transition-metal|Hg Mercury transition-metal|Tl Thallium post-transition-metal|Pb Lead post-transition-metal|Bi Bismuth post-transition-metal|Po Polonium post-transition-metal|At Astatine halogen|Rn Radon noble-gas|Fr Francium alkali-metal|Ra Radium alkaline-earth-metal|Ac Actinium actinide|Th Thorium actinide|Pa Protactinium actinide|U Uranium actinide|Np Neptunium actinide|Pu Plutonium actinide|Am Americium actinide|Cm Curium actinide|Bk Berkelium actinide|Cf Californium actinide|Es Einsteinium actinide|Fm Fermium actinide|Md Mendelevium actinide|No Nobelium actinide|Lr Lawrencium actinide|Rf Rutherfordium transition-metal|Db Dubnium transition-metal|Sg Seaborgium transition-metal|Bh Bohrium transition-metal|Hs Hassium transition-metal|Mt Meitnerium transition-metal|Ds Darmstadtium transition-metal|Rg Roentgenium transition-metal|Cn Copernicium transition-metal|Nh Nihonium post-transition-metal|Fl Flerovium post-transition-metal|Mc Moscovium post-transition-metal|Lv Livermorium post-transition-metal|Ts Tennessine halogen|Og Oganesson noble-gas"""


def main():
    out = sys.stdout
    out.write("# key\tlink\ttitle\tcomment\n")
    for number, item in enumerate(ELEMENTS.split("|"), start=1):
        symbol, name, category = item.split()
        link = f"https://en.wikipedia.org/wiki/{name}"
        kind = category.replace("-", " ")
        comment = f"Element {number}, symbol {symbol}, {kind}"
        keys = {name.lower(), symbol.lower(), kind.split()[-1] if kind.endswith("metal") else kind}
        keys |= set(kind.split())
        keys.add(str(number))
        for key in sorted(keys):
            out.write(f"{key}\t{link}\t{name}\t{comment}\n")


if __name__ == "__main__":
    main()
