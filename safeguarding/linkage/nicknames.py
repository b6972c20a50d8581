"""Groups of equivalent given names: nicknames, diminutives and transliterations.

Each line is one group; the first name on the line is the group's canonical form (a long group continues
on another line starting with the same canonical name). Names are written
already normalised (lower case, ASCII, no spaces, hyphens or apostrophes), as `normalise.name_key` produces.
A name may sit in two groups (Charlie is short for Charles and for Charlotte); `canonical_forms` returns up to
two canonical forms for such a name, and two names are nicknames of each other when they share one.
"""

from __future__ import annotations

_GROUPS = """
# English, boys
robert rob robbie bob bobby bert bertie robin rab
william will bill billy willy willie liam wills
richard rich richie rick ricky dick dickie
edward ed eddie eddy ted teddy ned
james jim jimmy jamie jimbo jas
john jack johnny jon jonny
jonathan jon jonny nathan
joseph joe joey jo
thomas tom tommy thom
christopher chris kit topher kristopher christoffer
michael mike mikey mick micky mickey mikhail mihail michal michail mykhailo mihai
matthew matt matty mateusz matei matvei matvey
daniel dan danny dani danylo danil daniil
david dave davey davy dai
alfred alfie alf fred freddie freddy
frederick fred freddie freddy fredrick freddy frederik fryderyk
oliver ollie olly oli
charles charlie chas chuck chaz karol
henry harry hal hank henryk
harrison harry
benjamin ben benny benji
samuel sam sammy
nicholas nick nicky nico mykola nikolai nikolay kolya nicolae mikolaj nikola
alexander alex alec alexandr aleksandr aleksander oleksandr oleksander sasha sascha sandy alexandru
alexander aleksandras olek aleks lex sanya alexei aleksei oleksii oleksiy alexey
anthony tony antony anton antoni antonio antanas
andrew andy drew andrei andrii andriy andrej andrzej andrius andras andrey
stephen steve stevie steven stefan stepan stefano
peter pete piotr petr petro petras petru petar
paul pauly pawel pavel pavlo paulius
george georgie geo jerzy yuri yurii iurii georgi georgiy heorhii gheorghe jurgis
gregory greg grigori hryhorii grzegorz grigore
jacob jake jakub kuba jakob jokubas yakiv yakov iakov
joshua josh
lewis louis lou ludwik
luke luca lucas lukas lukasz luka
mark marc marek marko markus marcus
nathaniel nathan nat
patrick pat paddy
philip phil pip filip pylyp
ronald ron ronnie
timothy tim timmy tymoteusz
theodore theo ted teddy fedir fyodor fedor teodor
zachary zach zack zak
samson sam
maximilian max maxim maksim maksym maks
ivan ivo ivanko vanya
john ion ionut ioan ionel ivan jan janek jonas jonukas jonelis johan johann ioannis sean shaun ian iain evan yann
nicholas nicu
vladimir volodymyr vova volodya vlad vladimer wlodzimierz
vladislav vlad vladyslav wladyslaw
dmitri dmitry dmitriy dmytro dima dimitar dimitri dimitrios mitya
sergei sergey serhii serhiy sergiu sergiusz seryozha
yevgeny evgeny yevhen eugene evgeni eugen zhenya
bartholomew bart bartlomiej bartek bartosz
wojciech wojtek
tomasz tomek
krzysztof krzys krzysiek
stanislaw stas stanislav stanislovas
przemyslaw przemek
mateusz mati
kacper kasper caspar jasper
lukasz lukas
vasile vasyl vasily vasili vasya basil
gheorghe gigi
constantin costel costin konstantin kostya kostiantyn konstanty
cristian cristi christian krystian kristian
adrian adi adrien
radu radek
darius dariusz darek
mindaugas mindis
tadas tadeusz tadek
igor ihor
oleg oleh
aleksei alyosha lyosha
artem artyom artur arthur art artie
yaroslav jaroslaw yarik slavik
bogdan bohdan bodya
mykyta nikita
roman romek romko
denis dennis denys denys
ilya illia ilia elijah eli
# English, girls
elizabeth liz lizzie lizzy beth betty bet eliza elsie elise lisa libby bess bessie betsy elzbieta elisabeth
elizabeth yelizaveta lisa liza elisabeta
catherine cath cathy kate katie katy kat cat cathryn kathryn katherine kathy kathleen katrina katarzyna kasia
catherine kasha kaska kateryna katya katerina ekaterina yekaterina katrin kotryna kaja
margaret maggie meg megan peggy marge margo greta gretta malgorzata gosia gosha margarita marharyta margareta rita
barbara barb babs barbie basia barbora
charlotte charlie lottie lotte carlotta sharlotta
caroline carol carrie karolina lina
jennifer jen jenny jenna
jessica jess jessie
rebecca becky becca bex
rachel rach
abigail abbie abby abi gail
alexandra alex alexa lexi sasha sandra aleksandra oleksandra sanda alexandrina sanya
anastasia nastya nastia stacy stacey ana anastasiia anastazja asia
samantha sam sammy
victoria vicky vic tori viktoria wiktoria vika
christina chris chrissy tina kristina krystyna krisztina kristine
patricia pat patty trish tricia
susan sue susie suzy susanna suzanne zuzanna zuza zuzana
deborah deb debbie
dorothy dot dotty dorota
eleanor ellie nell nellie nora elena elenora olena helen helena alena alyona lena ilona
isabella isabel izzy bella isobel izabela izabella
amelia millie amy emilia
emily em emmy emilie emilija
emma em
florence flo florrie
frances fran frankie
francesca fran frankie franciszka
gabrielle gabby gabi gabriela gabriella
harriet hattie harry
jacqueline jackie jacky
josephine jo josie jozefina
julia julie jules yulia yuliia iuliia iulia julija juliya yuliya juliana julianna
louise lou lulu luiza
madeleine maddie maddy madeline madalina
natalie nat nattie natalia nataliia natalya natasha natalija
olivia liv livvy ollie olivija
penelope penny
sophia sophie sofia sofiia sophy zofia zosia sofija
teresa tess tessa terri theresa tereza
valentina valya walentyna
veronica ronnie weronika veronika
yvonne von
maria mary marie mariya mariia marija marysia molly polly mariana
anna ann anne annie anya hanna hannah ania anka ganna hanka anita
irina iryna irene ira
svetlana sveta svitlana
tatiana tanya tatyana tetiana tania tatjana
lyudmila lyuda ludmila liudmyla mila
oksana ksenia kseniia xenia
daria dasha dariia darya
ekaterina katya
olga olha ola ol'ga olia
agnieszka aga agusia agnes
aleksandra ola olenka
dorota dorka
joanna asia joasia
monika monia monica
ewa eva evie eve yeva
magdalena madzia magda
justyna justa
ioana ionela
andreea andreia andrea
mihaela miha michaela
ramona mona
giedre giedrute
ruta rute
diana dee di
ruslana rusya
milena mila
nadia nadezhda nadiia nadiya nadya
larisa lara larysa
ramunas ramis
nathan nate
bethany beth
khadija dija
ibrahim ibby ibi
muhammad mo mohammed mohammad muhammed mohamed
abdullah abdul
zakariya zak zakaria zachariah
oluwaseun seun
matilda tilly tilda mattie
katherine kath
aleksander olek alek
andreea andra
weronika weronka
wiktoria wika
zuzanna zuzia
natalia natka
michal michu
krzysztof krzys
mikolaj mikolajek
franciszek franek
piotr piotrek
pawel pawelek
szymon szymek
anthony ant
alexander xander
"""


def _parse(text: str) -> list[list[str]]:
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        names = [n.replace("'", "") for n in line.split()]
        groups.append(list(dict.fromkeys(names)))
    return groups


GROUPS: list[list[str]] = _parse(_GROUPS)


def _build() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for group in GROUPS:
        canonical = group[0]
        for name in group:
            forms = index.setdefault(name, [])
            if canonical not in forms:
                forms.append(canonical)
    # A canonical name of its own group comes first, so Charles -> (charles,), Charlie -> (charles, charlotte).
    out = {}
    for name, forms in index.items():
        if name in forms:
            forms.remove(name)
            forms.insert(0, name)
        out[name] = tuple(forms[:2])
    return out


CANONICAL: dict[str, tuple[str, ...]] = _build()


def canonical_forms(key: str | None) -> tuple[str, str] | tuple[None, None]:
    """Two canonical forms of a normalised given name (the same twice when it has one, itself when unknown)."""
    if not key:
        return None, None
    forms = CANONICAL.get(key)
    if not forms:
        return key, key
    if len(forms) == 1:
        return forms[0], forms[0]
    return forms[0], forms[1]


def are_nicknames(a: str, b: str) -> bool:
    ca, cb = canonical_forms(a), canonical_forms(b)
    return bool(set(ca) & set(cb)) and ca[0] is not None
