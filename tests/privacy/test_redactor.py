"""The redactor as the bot uses it: placeholders, what stays, failures and time limits."""

from __future__ import annotations

import time

import pytest

from config.app import load_config
from privacy import PLACEHOLDERS, RedactionError, Redactor


def test_every_type_has_a_readable_placeholder() -> None:
    assert PLACEHOLDERS["PERSON"] == "[name]"
    assert PLACEHOLDERS["UK_PRISON_NUMBER"] == "[prison number]"
    assert all(p.startswith("[") and p.endswith("]") for p in PLACEHOLDERS.values())


@pytest.mark.parametrize(
    "text",
    [
        "Croydon council are a disgrace",
        "We foster for Kent County Council",
        "i was in a home in Blackpool then Rochdale",
        "im 15 and ive been in 7 placements since 2019",
        "the NSPCC, Childline and CAMHS all helped",
        "my social worker, my PA and my IRO never talk",
        "the leaving care team in Bradford were good",
        "Ofsted said good but never spoke to parents",
    ],
)
def test_when_no_personal_data_then_every_word_stays(redactor: Redactor, text: str) -> None:
    assert redactor.redact(text).text == text


def test_identifiers_are_replaced_never_masked(redactor: Redactor) -> None:
    out = redactor.redact("call 07912 345678, nhs 943 476 5919, NI JT482917A, dob 14/03/2008").text
    assert out == "call [phone number], nhs [NHS number], NI [NI number], dob [date of birth]"
    assert not any(ch.isdigit() for ch in out)


def test_start_up_canaries_all_pass(redactor: Redactor) -> None:
    assert redactor.check_canaries() == []


def test_when_analysis_is_too_slow_then_it_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = load_config().privacy.model_copy(update={"timeout_seconds": 0.05})
    slow = Redactor(policy)

    def crawl(text: str, *_: object) -> object:
        time.sleep(0.5)
        raise AssertionError("never reached in time")

    monkeypatch.setattr(slow, "_redact", crawl)
    with pytest.raises(RedactionError, match="timed out"):
        slow.redact("my name is Sam")
    slow.close()


def test_when_analysis_raises_then_the_error_names_no_text(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str, *_: object) -> object:
        raise ValueError(f"cannot handle {text}")

    monkeypatch.setattr(redactor, "_redact", broken)
    with pytest.raises(RedactionError) as info:
        redactor.redact("my secret story")
    assert "my secret story" not in str(info.value)


def test_when_a_canary_survives_then_the_service_refuses_to_start(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from config.settings import load_settings
    from server.app import StartupError, build_components
    from tests.conftest import TEST_KEY

    monkeypatch.setattr(Redactor, "check_canaries", lambda self: ["'jayden' survived"])
    settings = load_settings(
        speakup_env="test", speakup_secret_key=TEST_KEY, database_url=f"sqlite:///{tmp_path}/x.db"
    )
    with pytest.raises(StartupError, match="jayden"):
        build_components(settings)


@pytest.mark.parametrize(
    "text",
    [
        "Grace before dinner every night even tho no one in the house is religious lol",
        "victoria sponge at my review lol they think cake fixes everything",
        "Bill for council tax came even tho care leavers are meant to be exempt til 25 in leeds",
        "I'm a Children's Guardian with Cafcass. Caseloads have risen sharply since 2020.",
        "I had to get the coach from Victoria at 6am to make the hearing in Northampton.",
        "look on childline.org.uk or gov.uk if ur turning 18, nobody told me my rights",
        "Our social worker drew up a support plan that looked brilliant on paper.",
        "My daughter will read those letters one day.",
        "The judge gave our son a teddy and had a photo taken with us.",
        "barnardo's leaving care service was better than the council tbh",
        "that's 90 miles each way. Video calls were brilliant",
        "Paying for school dinners, uniform, phone bill and a bus pass for my niece.",
    ],
)
def test_when_ordinary_words_look_like_names_or_places_then_they_stay(
    redactor: Redactor, text: str
) -> None:
    assert redactor.redact(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tell hope i said thanks", "tell [name] i said thanks"),
        ("Quintrell family were kind", "[name] family were kind"),
        ("ring 0 7 9 1 2 3 4 5 6 7 8 pls", "ring [phone number] pls"),
        (
            "ring \uff10\uff17\uff19\uff11\uff12 \uff13\uff14\uff15\uff16\uff17\uff18 \U0001f64f",
            "ring [phone number] \U0001f64f",
        ),
        ("zeb at example dot org", "[email]"),
        ("i was on bramble ward 5 months", "i was on [place] 5 months"),
        ("court ref MA24P00187 for contact", "court ref [case number] for contact"),
        ("sc is deano.x i got no credit", "sc is [handle] i got no credit"),
        ("my birthday is boxing day", "my birthday is [date of birth]"),
        ("3 ambers and ur out of lessons", "3 ambers and ur out of lessons"),
        (
            "the grace period for leaving care shuld go past 21",
            "the grace period for leaving care shuld go past 21",
        ),
        (
            "Kids should leave with a proper junior ISA, not",
            "Kids should leave with a proper junior ISA, not",
        ),
        ("im at 27c now", "im at [address] now"),
        # Issue 16: letters written onto a reference, and initials, go with the identifier.
        (
            "my home office ref is H1287764, still waiting",
            "my home office ref is [case number], still waiting",
        ),
        ("Yours sincerely, Mrs M. Doyle", "Yours sincerely, [name]"),
        ("one of our pupils, J. Mensah, was moved", "one of our pupils, [name], was moved"),
        ("the Okonkwo family took him in", "the [name] family took him in"),
        ("he was in HMP Styal for a year", "he was in [place] for a year"),
    ],
)
def test_new_types_and_normalised_forms_are_replaced_in_the_text_as_written(
    redactor: Redactor, text: str, expected: str
) -> None:
    assert redactor.redact(text).text == expected


def test_the_redaction_version_is_a_string_to_store_with_each_answer() -> None:
    from privacy import REDACTION_VERSION

    assert isinstance(REDACTION_VERSION, str) and REDACTION_VERSION


def test_an_answer_in_capitals_loses_its_names(redactor: Redactor) -> None:
    assert (
        redactor.redact("TELL SHARON SHE NEVER LISTENED").text == "TELL [name] SHE NEVER LISTENED"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # who the person is, right before the name, even a town or a word (writers PD, PE)
        ("my PA Devon is from Devon", "my PA [name] is from Devon"),
        ("Ive had my grandson Ty since he was 2.", "Ive had my grandson [name] since he was 2."),
        ("preston is my brother hes in Preston lol", "[name] is my brother hes in Preston lol"),
        ("Youth worker, Ceredigion.", "Youth worker, Ceredigion."),
        ("my social worker Leeds office is rubbish", "my social worker Leeds office is rubbish"),
        ("I see my mum Saturday and my nan Sunday", "I see my mum Saturday and my nan Sunday"),
        ("Favour is my name in real life lol", "[name] is my name in real life lol"),
        ("we changed it to Eve. The school", "we changed it to [name]. The school"),
        ("we changed it to weekly and it got better", "we changed it to weekly and it got better"),
        ("Sunday roast at auntie mags is the best", "Sunday roast at [name] is the best"),
        ("Nain and Taid here from Anglesey", "Nain and Taid here from Anglesey"),
        ("Nanny here. What works is", "Nanny here. What works is"),
        ("The social worker pani Wiśniewska speak Polish", "The social worker [name] speak Polish"),
        # the names in a list with a found name, and a nickname in brackets
        (
            "first Sarah then Sara (no h) then Shazia now",
            "first [name] then [name] (no h) then [name] now",
        ),
        ("lachlan, fraser n callum all go", "[name], [name] n [name] all go"),
        (
            "me, jj, kez and lil sam all got split up",
            "me, [name], [name] and [name] all got split up",
        ),
        ("Oluwaseun (Seun), was the first adult", "[name] ([name]), was the first adult"),
        ("Sara (SW) and me", "[name] (SW) and me"),
        ("I love Sarah and hope she is ok", "I love [name] and hope she is ok"),
        ("Regards, Jane, Supervising Social Worker", "Regards, [name], Supervising Social Worker"),
        (
            "went to college on the bursary and Ms Kowalczyk was",
            "went to college on the bursary and [name] was",
        ),
        # a name that is also a word, written again
        (
            "my foster carer Pearl. Gem of a woman. Pearl never stopped",
            "my foster carer [name]. Gem of a woman. [name] never stopped",
        ),
        ("Jack my keyworker said i can jack it in", "[name] my keyworker said i can jack it in"),
        (
            "We called him Buddy because he was our buddy.",
            "We called him [name] because he was our buddy.",
        ),
        # things, not people
        (
            "Easter, May Half Term, Summer, October, Christmas.",
            "Easter, May Half Term, Summer, October, Christmas.",
        ),
        ("did Bronze n Silver n Going for Gold", "did Bronze n Silver n Going for Gold"),
        ("a voucher for Marks and Spencer. Lovely", "a voucher for Marks and Spencer. Lovely"),
        ("The Supporting Families programme works", "The Supporting Families programme works"),
        ("Social Work and Frontline intakes, but", "Social Work and Frontline intakes, but"),
        (
            "Legal aid covered court but not the meetings",
            "Legal aid covered court but not the meetings",
        ),
        ("the soup van comes sat and sun", "the soup van comes sat and sun"),
    ],
)
def test_names_by_who_they_are_and_the_list_they_are_in(
    redactor: Redactor, text: str, expected: str
) -> None:
    assert redactor.redact(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # writers PF and PG: regional, cultural and professional voices
        ("my family is Roma from Slovakia.", "my family is Roma from Slovakia."),
        (
            "children from Bangladeshi, Somali and Roma families",
            "children from Bangladeshi, Somali and Roma families",
        ),
        ("my abba and amma dont understand", "my abba and amma dont understand"),
        (
            "Wigilia we had in Peterborough with foster family",
            "Wigilia we had in Peterborough with foster family",
        ),
        (
            "the polis came tae the hoose and naebody telt me",
            "the polis came tae the hoose and naebody telt me",
        ),
        (
            "i support Everton n my carer supports Liverpool",
            "i support Everton n my carer supports Liverpool",
        ),
        ("im 12. i like Minecraft and Roblox.", "im 12. i like Minecraft and Roblox."),
        ("the dog is called Biscuit", "the dog is called Biscuit"),
        ("my key worker actualy listens", "my key worker actualy listens"),
        (
            "my mum said its a blessing we are together",
            "my mum said its a blessing we are together",
        ),
        (
            "Mental health nurse on an adolescent inpatient unit.",
            "Mental health nurse on an adolescent inpatient unit.",
        ),
        ("i went to art college", "i went to art college"),
        ("i hated secondary school", "i hated secondary school"),
        ("im knackered. work was long", "im knackered. work was long"),
        ("ty for the help", "ty for the help"),
        ("Eilidh and wee Ruaridh stay with me", "[name] and [name] stay with me"),
        ("her fella gaz is a knob", "her fella [name] is a knob"),
        ("im Tobi but Seun for short.", "im [name] but [name] for short."),
        ("social worker, Mr Van der Berg, went on sick", "social worker, [name], went on sick"),
        ("my teacher miss ní bhriain at coláiste feirste", "my teacher miss [name] at [school]"),
        (
            "she got me into bradford college on the access course",
            "she got me into [school] on the access course",
        ),
        (
            "My grandson's school, St Columb's, have been great",
            "My grandson's school, [school], have been great",
        ),
        ("at eastbury community school, he drove me", "at [school], he drove me"),
        ("moved from ty enfys to a placement", "moved from [place] to a placement"),
        (
            "the agency office at tŷ coch in Carmarthen",
            "the agency office at [place] in Carmarthen",
        ),
        (
            "I'm in a childrens home on the Lisburn Road and",
            "I'm in a childrens home on [address] and",
        ),
        ("they live on Heol y Felin near the park", "they live on [address] near the park"),
        ("my address is forty two Colne road", "my address is [address]"),
        ("two buses each way with a toddler", "two buses each way with a toddler"),
        ("our address 2F1, 18 Iona Street, Edinburgh", "our address [address], Edinburgh"),
        (
            "sends me a birthday card every 29th of April. The",
            "sends me a birthday card every [date of birth]. The",
        ),
        ("email zaras.mum1985 @ yahoo . co . uk", "email [email]"),
        (
            "Favour is my name lol, call me Fav. Favour Adebayo",
            "[name] is my name lol, call me [name]. [name] [name]",
        ),
        # writers PH and PI
        (
            "Our Headteacher, SENCO and DSL meet weekly",
            "Our Headteacher, SENCO and DSL meet weekly",
        ),
        ("The Philomena Protocol helps but", "The Philomena Protocol helps but"),
        (
            "Reviewing the care plan for Amelia Grant, DOB",
            "Reviewing the care plan for [name], DOB",
        ),
        ("Born 2 februarie 2014 and 19 mai 2016.", "Born [date of birth] and [date of birth]."),
        ("His address was Flat 6, 41 Canal Side, Runcorn", "His address was [address], Runcorn"),
        ("nurse at Hartley Grange School and", "nurse at [school] and"),
        ("The staff were Mr Kent (funny I know) and", "The staff were [name] (funny I know) and"),
        ("I miss London so much", "I miss London so much"),
        ("talk to a real care kid its xx_lil.mimi_xx", "talk to a real care kid its [handle]"),
        ("the home is the Brambles in Stockport", "the home is [place] in Stockport"),
        ("Im writing from Marlowe Court supported housing.", "Im writing from [place]."),
        ("excluded from Oasis Academy Brightstowe in year 8", "excluded from [school] in year 8"),
        ("he went to the academy in year 7", "he went to the academy in year 7"),
        ("wagwan. the youth club near mine got shut", "wagwan. the youth club near mine got shut"),
        ("thats it tara a bit x", "thats it tara a bit x"),
        ("sandy beaches at Tenby were the best", "sandy beaches at Tenby were the best"),
        # writers PJ and PK
        (
            "my foster carers r Bev n Col they r sound.",
            "my foster carers r [name] n [name] they r sound.",
        ),
        ("DOB: 14 0ct 2008", "DOB: [date of birth]"),
        ("my number is o7700 9oo 481", "my number is [phone number]"),
        ("I chaired Amir's review last week", "I chaired [name] review last week"),
        (
            "rose from the ashes innit. been in care since 4",
            "rose from the ashes innit. been in care since 4",
        ),
        ("I wait 1 year for college place. ok", "I wait 1 year for college place. ok"),
        (
            "my sisters bday is the day after bonfire night and",
            "my sisters bday is [date of birth] and",
        ),
        ("everyone knows me as Smudge round here", "everyone knows me as [name] round here"),
        (
            "Our home, Oakmere, sits just outside Stoke",
            "Our home, [place], sits just outside Stoke",
        ),
        (
            "my sw KL (not saying her full name) is off",
            "my sw [name] (not saying her full name) is off",
        ),
        ("for my granddaughter, DOB 3/4/2012", "for my granddaughter, DOB [date of birth]"),
        ("send it to 9 ashgrove S6 2LT please", "send it to [address] please"),
        ("i am 16 years old S6 2LT", "i am 16 years old [postcode]"),
        ("nan of 3 in hull HU1 2AB.", "nan of 3 in hull [postcode]."),
        ("stayin at the hostel on Kirkgate now", "stayin at [address] now"),
        ("Chelsea fan in a house full of Spurs fans", "Chelsea fan in a house full of Spurs fans"),
        ("the lad upstairs kicked off", "the lad upstairs kicked off"),
        # writers PL and PM
        ("NI number as PX.56.78.12.D and", "NI number as [NI number] and"),
        (
            "its my bday on sat 9th nov n ill be 16",
            "its my bday on sat [date of birth] n ill be 16",
        ),
        (
            "prison no A1234BC, on Beech wing. was in care",
            "prison no [prison number], on [place]. was in care",
        ),
        (
            "carers are ok. miss my old school Brookfield tho",
            "carers are ok. miss my old school [school] tho",
        ),
        (
            "my case number with the Ombudsman is 22 009 817. took",
            "my case number with the Ombudsman is [case number]. took",
        ),
        ("the school is closed today", "the school is closed today"),
        ("dont like the willows its got no wifi", "dont like [place] its got no wifi"),
        (
            "the foyer in town is called the Nest, its ok",
            "the foyer in town is called [place], its ok",
        ),
        (
            "a member of staff called the Attachment Lead.",
            "a member of staff called the Attachment Lead.",
        ),
        (
            "my son being left at Larchwood with no school place",
            "my son being left at [place] with no school place",
        ),
        ("hate it at rosewood. want to go back", "hate it at [place]. want to go back"),
        ("I went outside and then to Stoke", "I went outside and then to Stoke"),
        (
            "From the CAMHS side: referrals take months",
            "From the CAMHS side: referrals take months",
        ),
        ("Police officer in Merseyside.", "Police officer in Merseyside."),
        (
            "my personal adviser Naveed is always on leave",
            "my personal adviser [name] is always on leave",
        ),
        (
            "my first flat was 2/1, 118 Paisley Road, Glasgow",
            "my first flat was [address], Glasgow",
        ),
        ("I live at number forty two Ashby Road full stop", "I live at [address] full stop"),
        ("mr ward my head of year is the only one", "[name] my head of year is the only one"),
        # a name listed after "to" once made two places call each other for ever
        (
            "I am Nanna to Kayleigh and Brandon, had them since 2019",
            "I am Nanna to [name] and [name], had them since 2019",
        ),
    ],
)
def test_regional_cultural_and_professional_voices(
    redactor: Redactor, text: str, expected: str
) -> None:
    assert redactor.redact(text).text == expected
