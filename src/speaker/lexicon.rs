//! Word lists the rules read: verbs of saying, verbs of position, unnamed
//! sources, the target topic, name parts, and the small words that may stand
//! between a subject and its verb. All lists are lower-case and built once.

use std::collections::HashSet;
use std::sync::LazyLock;

/// A set of words, from a whitespace-separated list.
type Words = LazyLock<HashSet<&'static str>>;

fn set(list: &'static str) -> HashSet<&'static str> {
    list.split_whitespace().collect()
}

/// Verbs of saying: a subject followed by one of these speaks ("X said").
static SAY: Words = LazyLock::new(|| {
    set("state states reads read said says say saying told tells tell telling added adds adding insisted insists insist \
        insisting reiterated reiterates reiterate reiterating acknowledged acknowledges acknowledge \
        acknowledging demanded demands demanding warned warns warn warning voiced voices repeated \
        repeats repeating stressed stresses stress stressing declared declares declaring announced \
        announces announcing argued argues argue arguing claimed claims claiming noted notes note \
        noting wrote writes write writing tweeted posted urged urges urge urging vowed vows vow \
        vowing pledged pledges promised promises promising denied denies deny denying dismissed \
        dismisses accused accuses accusing suggested suggests suggest explained explains explaining \
        replied replies responded responds answered answers asked asks admitted admits admit \
        conceded concedes concede confirmed confirms maintained maintains maintain described \
        describes describing condemned condemns welcomed welcomes criticised criticized criticises \
        criticizes hinted hints signalled signaled stated emphasised emphasized emphasises \
        emphasizes affirmed reaffirmed reaffirms countered counters quipped joked remarked observed \
        predicted predicts cautioned complained recalled commented mocked assured reminded retorted \
        boasted lamented proclaimed speaking cited cites citing called calls calling appealed \
        thanked congratulated blamed blames praised praises hailed objected protested protests \
        questioned questions doubted doubts wondered forecast believes believed thinks think worry \
        worries worried fear fears feared expect expects expected estimated estimate estimates \
        reported reports report pointed point points made make put issued released published \
        contended contends alleged alleges recounted summed went sees see saw distinguish concluded \
        concludes charged underlined underscored signals indicated indicates replying responding \
        answering asserted asserts disagrees disagreed expressed floated floats compared compares \
        laid lays ruled rules struck passed adopted restating restated restates reaffirming outlined \
        outlines unveiled presented proposed shot hit fired spoken spoke comment commenting specify \
        elaborate expresses regrets regretted recalls welcome reject rejects rejected rejecting \
        threatened threatens lashed appeal invited")
});

/// Verbs and predicates of position: a subject with one of these holds a view
/// ("Ukraine pushed back", "allies who have resisted").
static POSITION: Words = LazyLock::new(|| {
    set("rejected rejects reject rejecting refused refuses refuse refusing resisted resists resist \
        resisting opposed opposes oppose opposing backed backs back backing supported supports \
        support supporting endorsed endorses endorse endorsing recognised recognized recognises \
        recognizes recognise recognize recognising recognizing annexed annexes annex annexing signed \
        signs sign signing voted votes vote vetoed vetoes veto offered offers offer offering \
        proposed proposes propose proposing wants wanted want seeks sought seek seeking treats \
        treated treat treating regards regarded regard considers considered consider accepted \
        accepts accept accepting abstained ratified ratifies adopted adopts approved approves \
        imposed imposes extended extends prolonged pressing pushing pushed pushes push press pressed \
        presses stands stood stand held holds hold plans planned prepares preparing prepared agreed \
        agrees envisages envisaged envisions foresees foresaw ruled rules dismisses floated views \
        viewed counts condemned condemns demanded demands insists insisted suggested suggests \
        declared declares affirmed reaffirmed upheld upholds continues continued keeps kept remains \
        remained lobbied campaigned urged urges fear fears feared admitted admits admit absorb \
        absorbed absorbs absorbing incorporated handed hands hand cede ceded cedes ceding give gave \
        gives giving trade traded swap legitimise legitimize legitimised acknowledged acknowledges \
        acknowledge defended defends criticised criticized objected objects mocked mocks dismissed \
        shrugged shrugs points pointed reads read sees saw see deems deemed called calls amended \
        removed removes drops dropped avoids avoided excludes excluded freezes froze suspended \
        suspends expelled boycotted banned bans writes wrote enshrined enshrines established \
        reversed softened hardened pledged vowed promised decided decides awarded declined declines \
        campaign insist grant granted grants allow allows allowed invoked invokes welcomed welcomes \
        hailed protested denounced denounces argued argues stressed stresses warned warns appealed \
        responded retaliated answered unimpressed receptive firm")
});

/// Auxiliaries, adverbs and small words that may stand between a subject and
/// its verb ("Kyiv has repeatedly said", "allies who have resisted").
static BRIDGE: Words = LazyLock::new(|| {
    set("has have had will would could can should may might must did does do is was are were be been \
        being also again not never only just then later now still already even who which that too \
        both all itself himself herself themselves once first soon since so far yet ever meanwhile \
        however instead today yesterday tonight on monday tuesday wednesday thursday friday saturday \
        sunday last this next week month year weekend morning evening night afternoon earlier in a \
        an the statement interview speech separately privately publicly repeatedly reportedly \
        allegedly apparently long for its their his her part by contrast own turn at time same more \
        twice quickly immediately flatly firmly openly bluntly sharply angrily further officially \
        formally unanimously initially swiftly often always sometimes seldom likes continues \
        continued tends promptly duly")
});

/// Nouns for unnamed speakers ("officials", "sources", "a diplomat").
static ANON: Words = LazyLock::new(|| {
    set("member gunmen bloggers commentators official officials source sources insider insiders diplomat diplomats analyst analysts \
        expert experts witness witnesses resident residents observer observers critic critics lawyer \
        reports lawyers scholar scholars spokesman spokeswoman spokesperson aide aides adviser \
        advisers advisor advisors negotiator negotiators activist activists commentator commentators \
        fact-checkers participants participant politicians politician lawmakers lawmaker delegates \
        delegate others groups campaigners economists economist historians historian researchers \
        researcher journalists reporters pollsters organisers organizers figures voices realists \
        hawks skeptics sceptics supporters opponents veterans deputies envoys ministers governments \
        capitals leaders officers commanders authorities representatives voters respondents crimeans \
        locals protesters demonstrators student students teacher pensioner farmer monitors woman man \
        soldier soldiers worker workers mother father owner shopkeeper driver veteran volunteer \
        volunteers doctor nurse priest villagers refugees families")
});

/// Capitalised words that never start or belong to a person's name.
static NOT_NAME: Words = LazyLock::new(|| {
    set("forum policy studies institution network project review society league the a an in on at after before but and or as if when while since for with by to of from this \
        that these those it its he she they we i you his her their our my there here what who why \
        how where which no not yet so still also even only asked under over council ministry party \
        assembly court fleet sea republic union federation committee agency group institute \
        university bank square street palace hall plan platform front office department service army \
        forces navy guard news times post day monday tuesday wednesday thursday friday saturday \
        sunday january february march april may june july august september october november december \
        crimea ukraine russia kyiv kiev moscow europe america state states united nations general \
        security foreign minister president prime secretary house white black north south east west \
        western eastern northern southern central national international european russian ukrainian \
        american british french german polish chinese turkish crimean soviet tatar tatars live \
        update updates analysis opinion question answer q read share more war peace talks summit \
        deal treaty resolution declaration law constitution referendum vote bridge strait canal \
        river city region oblast district mr mrs ms dr gen col sen rep gov prof president's \
        commission parliament duma rada senate congress cabinet government administration kremlin \
        embassy mission council's channel tv radio television newspaper magazine journal \
        organisation organization alliance coalition association foundation centre center movement \
        bloc faction fund company corporation airport station port stadium cathedral church mosque \
        museum hotel base plant prize cup games olympics eurovision day's kosovo serbia georgia \
        abkhazia ossetia transnistria moldova belarus minsk geneva paris london berlin brussels \
        washington istanbul riyadh jeddah alaska anchorage miami florida simferopol sevastopol \
        kherson donetsk luhansk zaporizhzhia mariupol odesa kharkiv donbas azov dnipro yalta kerch \
        perekop budapest memorandum accords agreement agreements protocol format normandy g7 g8 g20 \
        nato eu un osce iaea ussr cold world second first new old great grand supreme high upper \
        lower et pm am gmt bst cet est utc oval wing mar-a-lago doctrine act bill code article \
        chapter point points red lines line zone corridor map maps reuters bloomberg axios senior \
        lieutenant captain colonel major sergeant admiral commander governor mayor deputy chairman \
        chairwoman chief ambassador envoy speaker chancellor senator congressman congresswoman \
        representative professor judge justice bishop archbishop patriarch metropolitan father rev \
        king queen prince princess sheikh sir lord lady dame pope marshal corporal lt sgt capt maj \
        adm vice acting former late analyst presenter billionaire magnate candidate nominee leader \
        head director editor correspondent spokesman spokeswoman both all some many most several \
        none each every any")
});

/// Whether `w` may be a verb of saying.
pub(crate) fn is_say(w: &str) -> bool {
    SAY.contains(w)
}

/// Whether `w` may carry a position when its subject is an actor.
pub(crate) fn is_position(w: &str) -> bool {
    POSITION.contains(w)
}

/// Whether `w` names an unnamed speaker.
pub(crate) fn is_anon_noun(w: &str) -> bool {
    ANON.contains(w)
}

/// Whether `w` may stand between a subject and its verb.
pub(crate) fn is_bridge(w: &str) -> bool {
    BRIDGE.contains(w) || (w.len() > 4 && w.ends_with("ly"))
}

/// Whether a capitalised word may be part of a person's name.
pub(crate) fn may_be_name_word(norm: &str) -> bool {
    !NOT_NAME.contains(norm)
        && norm.chars().next().is_some_and(char::is_alphabetic)
        && !norm.chars().any(|c| c.is_ascii_digit())
}

/// Saying verbs that need a particle or object to be speech: "pointed out",
/// "made clear", "put it", "issued a statement", "went on". The value lists
/// the words one of which must follow within two words.
pub(crate) fn say_needs(verb: &str) -> Option<&'static str> {
    Some(match verb {
        "pointed" | "point" | "points" => "out to",
        "lashed" => "out",
        "shot" | "hit" | "fired" => "back",
        "spoken" | "spoke" => "of about publicly out openly reporters journalists parliament lawmakers crowd press delegates",
        "laid" | "lays" => "out",
        "ruled" | "rules" => "out",
        "struck" => "tone note",
        "passed" | "adopted" => "resolution declaration statement appeal motion",
        "unveiled" | "presented" | "outlined" | "outlines" | "proposed" => "plan proposal peace ten-point framework initiative formula",
        "answers" => "that",
        "draws" => "attention",
        "made" | "make" => "clear plain statement remarks comments case",
        "put" => "it bluntly simply",
        "issued" | "released" | "published" => "what statement declaration communique communiqué warning appeal proposal plan letter short joint",
        "went" => "on further",
        "summed" => "up",
        "sees" | "see" | "saw" => "it no",
        "expect" | "expects" | "expected" | "fear" | "fears" | "feared" | "worry" | "worries"         | "worried" | "think" | "thinks" | "believes" | "believed" => "that",
        "conceded" | "concedes" | "concede" => "that privately however",
        "called" | "calls" | "calling" | "call" => "for on it the a an this that them him her crimea russia ukraine kyiv moscow",
        _ => return None,
    })
}

/// Whether a word is about the target: the territorial status of Crimea and
/// the occupied regions, its recognition or cession.
pub(crate) fn is_target_word(w: &str) -> bool {
    if w.starts_with("crimean") {
        // "Crimean Tatars" are people, not the peninsula's status.
        return false;
    }
    const STEMS: &[&str] = &[
        "crimea",
        "annex",
        "recogni",
        "territor",
        "border",
        "sovereign",
        "donbas",
        "donetsk",
        "luhansk",
        "lugansk",
        "kherson",
        "zaporizhzhia",
        "zaporozhye",
        "sevastopol",
        "peninsula",
        "cede",
        "ceding",
        "cession",
        "referend",
        "integrity",
        "occupied",
        "occupation",
        "reunif",
        "secession",
        "secede",
        "concession",
        "novorossiya",
        "land",
        "lands",
        "regions",
        "partition",
        "legitimis",
        "legitimiz",
        "de-facto",
        "de-jure",
        "swap",
        "frontier",
        "accession",
        "absorb",
    ];
    if matches!(
        w,
        "land" | "lands" | "status" | "facto" | "jure" | "regions" | "withdraw" | "withdrawal"
    ) {
        return true;
    }
    STEMS.iter().any(|s| w.starts_with(s))
}

/// Verbs of saying that may follow their subject ("…,” said Kuleba).
pub(crate) fn is_inverting_say(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set(
            "said says added adds asked countered wrote writes replied insisted warned continued \
            explained argued recalled noted declared told quipped retorted",
        )
    });
    WORDS.contains(w)
}

/// Words that make an otherwise registered phrase indefinite or anonymous
/// ("a Kremlin aide", "two US officials", "one official").
pub(crate) fn is_indefinite(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set("a an one two three four several some many other another few unnamed anonymous senior former \
            certain")
    });
    WORDS.contains(w)
}

/// Phrases after an anonymous noun that keep it anonymous ("officials
/// familiar with", "briefed on", "speaking on condition of anonymity").
pub(crate) fn is_anon_modifier(w: &str) -> bool {
    static WORDS: Words =
        LazyLock::new(|| set("familiar briefed close privately anonymity condition involved"));
    WORDS.contains(w)
}

/// Nouns for a written position: a plan, a draft, a text.
pub(crate) fn is_document(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set("draft plan proposal document text framework declaration resolution version concept \
            counter-proposal counterproposal memorandum treaty blueprint initiative offer deal package \
            roadmap agreement communique communiqué statement letter")
    });
    WORDS.contains(w)
}

/// Words that may stand between a determiner and a document noun
/// ("the latest revised peace plan").
pub(crate) fn is_document_modifier(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set("peace latest new revised first final original initial earlier current draft joint formal \
            written counter ceasefire territorial security amended updated leaked american european \
            russian ukrainian us proposed rival previous second third one-page full complete framework")
    });
    WORDS.contains(w)
}

/// Verbs whose subject document carries its author's position.
pub(crate) fn is_document_verb(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set("offered offers offer suggested suggests proposed proposes envisages envisaged envisions \
            foresees foresaw recognises recognizes recognised recognized recognise recognize calls \
            called demands demanded insists insisted urged urges states stated stipulates requires \
            required provides provided grants granted gives gave removes removed avoids avoided affirms \
            affirmed reaffirmed reaffirms stresses stressed declares declared includes included contains \
            contained makes made commits committed acknowledges acknowledged accepts accepted rejects \
            rejected refers referred treats treated describes described invokes invoked endorses \
            endorsed")
    });
    WORDS.contains(w)
}

/// Nouns for a held position ("Europe's stance", "his red lines").
pub(crate) fn is_stance_noun(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set("stance position principle principles policy line lines refusal demand demands opposition \
            insistence claim claims view views objection objections condition conditions terms offer \
            plan proposal vision goal goals aim aims ambitions argument case resolve commitment pledge \
            promise support backing rejection non-recognition approach insistance readiness willingness \
            acceptance recognition")
    });
    WORDS.contains(w)
}

/// Prepositions: a name right after one is rarely the subject ("in Kyiv").
pub(crate) fn is_preposition(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set("in of from for with to at on by about against out over into between among toward towards \
            across after before under than like via within without through behind beyond near around \
            upon onto per despite")
    });
    WORDS.contains(w)
}

/// Lower-case particles inside names ("Ursula von der Leyen", "Lula da Silva").
pub(crate) fn is_name_particle(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| set("von der van de da bin al la le di du del"));
    WORDS.contains(w)
}

/// Words after a name that make it a person rather than a place or body
/// ("analyst", "professor", "who teaches").
pub(crate) fn is_profession(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set("analyst scholar professor expert researcher historian economist academic lecturer fellow \
            commentator observer specialist sociologist teaches studies writes director pollster lawyer \
            jurist scientist fellow founder consultant consultancy institute firm columnist author")
    });
    WORDS.contains(w)
}

/// Common female first names, for "she" when the registry does not know a person.
pub(crate) fn is_female_first_name(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set("anna maria olena olga natalia natalya tatyana tatiana irina iryna yulia elena helen helena \
            rebecca fiona sarah laura katarzyna marta agnieszka ilze nino leila dana ellen sofia sophie \
            lyudmila galina svetlana oksana kateryna mariana lilia emine tamila jane mary elizabeth \
            susan karen lisa emma anja alena beatriz ines marianne jeanette rachel huang meiling \
            victoria kristina ekaterina margarita valentina ursula kaja giorgia angela annalena linda \
            samantha nikki jen tammy kamala hillary liz anne julia claire catherine federica marine \
            viola ruchira dalia barbara karoline yuliya daria darya vera nadia nadiya ana eva marie \
            petra ingrid astrid freya hanna hannah katya zoe chloe amelia olivia charlotte")
    });
    WORDS.contains(w)
}

/// Nouns through which a possessor speaks ("Zelensky's office said").
pub(crate) fn is_proxy_noun(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set("office government ministry team administration spokesman spokeswoman spokesperson   \
            camp delegation negotiators side embassy mission party officials cabinet leadership press \
            service staff envoys diplomats campaign representative representatives envoy ambassador \
            delegate presidency spokespeople navy army military forces parliament council authorities \
            leaders president prime minister foreign defence defense security general")
    });
    WORDS.contains(w)
}

/// Lower-case words of a title before a name ("acting president", "foreign minister").
pub(crate) fn is_title_word(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set("acting former deputy foreign defence defense minister prime president spokesman spokeswoman \
            envoy chief secretary head leader ambassador speaker chancellor governor mayor senator \
            general special peace state interim newly appointed elected vice first top senior \
            presidential adviser aide")
    });
    WORDS.contains(w)
}

/// Heads that a quantifier makes unnamed ("two officials", "a Kremlin aide");
/// "several European leaders" still names the European governments.
pub(crate) fn is_unnamed_head(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set("official officials source sources diplomat diplomats aide aides adviser advisers insider \
            insiders person people spokesman spokeswoman spokesperson negotiator negotiators")
    });
    WORDS.contains(w)
}

/// Nouns for those who speak for a body named after "of" ("the representative
/// of Venezuela", "foreign ministers of the Group of Seven").
pub(crate) fn is_proxy_head(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set(
            "representative representatives envoy ambassador delegation leadership government \
            spokesman spokeswoman spokesperson leaders ministers members head heads delegates",
        )
    });
    WORDS.contains(w)
}

/// Words that may follow a name ending a clause ("said X of …", "said X, who …").
pub(crate) fn is_clause_link(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| set("of who in on at from after before when as during"));
    WORDS.contains(w)
}

/// Words that open a question ("What Would Moscow Want", "Were you surprised …?").
pub(crate) fn is_question_word(w: &str) -> bool {
    static WORDS: Words = LazyLock::new(|| {
        set(
            "what why how would could can does do did is are will should who where when which \
            were was has have had isn't aren't doesn't don't",
        )
    });
    WORDS.contains(w)
}
