"""Word lists for the injection guard (summarizer.guard): who processes a text, and how one tells them what to do.

Each list holds a grammatical class, not attack phrasings: the rules in guard.py combine them (an imperative or a
second-person address, plus something that names the processing of the text).
"""

from __future__ import annotations

# Nouns and adjectives that name what processes the text, or what it produces, strongly enough that a second-person
# address or a directive modal next to them is aimed at the processor ("your summary", "automated systems should").
PROCESSORS = (
    r"summar(?:y|ies|is\w*|iz\w*)|synops\w+|tl;?dr|bullet(?:s|\s+points?|ed)?|a\.?i\.?|llms?|chat\s*bots?|chatgpt|gpt"
    r"|language\s+models?|automat(?:ed|ion|ic)|bots?|machine\s+readers?|crawlers?|scrapers?|aggregators?|quick\s+look"
)
# Names for what a processor writes, which news also uses in other senses ("the title race", "a legal brief"): they
# count only where an imperative or an address already points at the processor.
OUTPUTS = (
    r"titles?|headlines?|briefs?|briefings?|overviews?|digests?|recaps?|outputs?|key\s+points|first\s+line|write-?ups?"
)
# Names for a processor that news uses for many other things ("the power system", "an assistant coach").
AGENTS = r"models?|assistants?|systems?|tools?|algorithms?|pipelines?|generators?"
# Verbs of processing a text: writing it up, shortening it, reading it as a machine does.
PROCESSING = (
    r"summar(?:is|iz)\w*|condens\w*|shorten\w*|abridg\w*|process(?:es|ed|ing)|rewrit\w*"
    r"|boil\w*\s+down|writ(?:e|es|ing)\s+up|ingest\w*|pars(?:e|es|ing)"
)
# Base forms that tell someone what to write (an imperative at a clause start, or the verb after a directive modal).
DIRECTIVES = (
    r"state|say|report|read|give|show|list|include|mention|describe|use|begin|start|open|lead|end|close|put|cite"
    r"|quote|refer|call|name|present|treat|reflect|note|omit|exclude|ignore|disregard|forget|override|emphas[iz]e"
    r"|highlight|feature|focus|contain|carry|display|headline|title|summar[iz]e|write|output|print|respond|answer"
    r"|reply|replace|correct|update|change|add|insert|attribute|credit|prefer|prioriti[sz]e|avoid|make\s+sure|ensure"
    r"|be\s+sure|remember|do\s+not|don'?t|never|always|stop|pretend|act|tell|inform|keep|drop|remove|delete|hide"
    r"|skip|translate|rephrase|assume|accept|trust|frame|portray|depict|stress|spell|render|format|label|tag|rank"
    r"|consider|adopt|apply|follow|obey|respect|copy|paste|append|prepend|repeat|restate|conclude|finish|call"
)
# What a text calls itself when it speaks of its own processing ("when this story is condensed").
SELF = r"this\s+(?:article|story|text|page|piece|document|passage|copy|item|post|release)"
# Nouns for the orders a processor was given ("ignore the previous instructions").
ORDERS = r"instructions?|prompts?|rules|guidelines|directions|directives|orders|commands"
# Directive modals: what sits between a subject and the verb it is told to perform.
MODALS = (
    r"should|must|shall|needs?\s+to|ha(?:s|ve)\s+to|are\s+to|is\s+to|(?:is|are)\s+(?:required|asked|instructed|"
    r"expected|requested|told|obliged|supposed)\s+to|ought\s+to|will\s+need\s+to|may\s+only|can\s+only|cannot|"
    r"can'?t|mustn'?t|shouldn'?t"
)
SECOND_PERSON = r"you|your|yours|yourself|yourselves|you'?re|you'?ll|you'?ve|you'?d|thou|ye"
# Words that open a note addressed to someone ("Note to the summarising assistant:", "Attention automated systems:").
ADDRESS_HEADS = (
    r"note|notes|message|memo|notice|attention|reminder|instructions?|request|guidance|advice|warning|update|updated"
    r"|correction|clarification|important|dear|to|for|hey|hello|hi|p\.?s\.?"
)
# Who a note may be addressed to besides a processor: an editor told what to write is a processor too.
ADDRESSEES = r"editors?|sub-?editors?|writers?|copy\s*desk|desk|whoever|anyone|anybody|readers?\s+(?:of|processing)"
# Words that may stand before a clause's verb without changing its mood ("Please state", "Also, mention").
FILLERS = r"please|kindly|also|and|then|now|simply|just|so|instead|again|finally|first|lastly|therefore|thus|but|or"

# Other languages: a processing noun plus a mark of address (second person, a polite imperative, "please").
FOREIGN_PROCESSORS = (
    # fr, es, it, pt
    r"résumés?|synthèses?|titres?|puces?|assistantes?|\bia\b|modèles?|systèmes?\s+automatis\w+|rédacteurs?"
    r"|resumen(?:es)?|resumos?|t[ií]tul(?:o|os|ar|ares)|viñetas?|asistentes?|assistentes?|modelos?|riassunt[oi]|titol[oi]"
    # de
    r"|zusammenfassung\w*|überschrift\w*|titel|stichpunkt\w*|assistent\w*|\bki\b|sprachmodell\w*|modell\w*"
    # zh, ja, ru
    r"|摘要|总结|標題|标题|要点|助手|模型|人工智能|要約|見出し|резюме|заголов\w*|ассистент\w*|модел\w*|сводк\w*"
)
FOREIGN_ADDRESS = (
    r"\bvous\b|\bvotre\b|\bvos\b|\btu\b|\bveuillez\b|\busted\b|\bpor\s+favor\b|\bdebe[sn]?\b"
    r"|\bescrib[ae]\b|\bindique\b|\bincluya\b|\bmencione\b|\butilice\b|\bcomience\b|\bper\s+favore\b|\bsi\s+prega\b"
    r"|\bdevi\b|\bdeve\b|\bscrivi\b|\bvocê\b|\bbitte\b|\bsie\b|\bihre?\b|\bsollte?n?\b|\bmüssen\b"
    r"|你|您|请|務必|务必|必须|ください|вы\b|ваш\w*|укажите|напишите|пожалуйста"
)

# Every rule needs a word of the vocabularies above; most sentences of news hold none, so these two lists make a
# cheap first test: whole words (short or common ones) and word beginnings (long, distinctive stems).
TARGET_WORDS = (
    "ai a.i a.i. llm llms gpt bot bots tl;dr tldr key line copy desk user users ia ki title titles brief briefs order "
    "orders rule rules tool tools model models system systems writer writers editor editors reader readers parse "
    "parses parsing machine machines write writes writing process processes processed processing titel titre titres "
    "puce puces modelo modelos modell modelle to:"
)
TARGET_STEMS = (
    "summar synops bullet chatbot chatgpt automat crawler scraper aggregat condens shorten abridg rewrit boil ingest "
    "headline briefing overview digest recap output assistant algorithm pipeline generator instruction prompt "
    "guideline direction directive command developer whoever anyone anybody sub-editor subeditor write-up writeup "
    "résum synth modè rédact resum títul titul viñet asist assistent riassunt titol zusammen überschrift stichpunkt "
    "sprachmodell"
)
