"""Every rule Safecare follows, in the words its rules page shows to everyone who signs in.

A rule id (SC-4, DV-3) is for staff; carers meet one only as a small "policy reference"
link to this page (core.carer_words). docs/rules.md says the same of each rule, with what
Safecare does for it and where; tests/core/test_rulebook.py holds the two together.
"""

from __future__ import annotations

# Each policy, by the letters of its rule ids, in the order the page lists them.
POLICIES: dict[str, str] = {
    "HH": "Households",
    "SC": "Safe care",
    "DV": "Cameras and microphones",
    "CX": "CCTV inside the home: the exception request",
    "PH": "Confidential files and photographs",
    "SOC": "Standards of care",
    "IM": "Monitoring a young person's internet use",
    "DP": "Data protection: subject access and retention",
}

# What each rule says, in plain words.
RULES: dict[str, str] = {
    "HH-1": "A fostering household has at least one foster carer living there.",
    "SC-1": (
        "Every approved household has a current Safe Caring Family Agreement. The assessing social "
        "worker writes it with everyone who lives in the home, by the end of the assessment."
    ),
    "SC-2": (
        "Applicants complete Skills to Foster training before approval. Carers go on training after that."
    ),
    "SC-3": (
        'Carers receive "Safer Caring: A New Approach" during the assessment, or within 2 weeks of approval.'
    ),
    "SC-4": (
        "The Safe Caring Family Agreement is reviewed regularly, and updated at the start of each "
        "new placement: before the child is placed, or within 5 working days of the start of an "
        "emergency placement."
    ),
    "SC-5": "Each child in placement has a child-specific safe caring agreement, on the same timing as SC-4.",
    "SC-6": (
        "Carers tell the service about changes that could affect their fostering: new regular "
        "visitors, people the service does not know staying overnight regularly, someone moving "
        "out, a death in the family or of someone close to the child, or anything else."
    ),
    "SC-7": (
        "Carers keep their daily recordings up to date during the placement. The SSW reads them at "
        "each supervision."
    ),
    "SC-8": (
        "Carers tell the SSW or the child's social worker immediately if they doubt they can care "
        "safely, or feel at risk of an allegation."
    ),
    "SC-9": (
        "A child who is known, likely or could put themselves or others at risk has a risk "
        "assessment: before the placement starts, or as soon as possible after an emergency "
        "placement starts. A new risk flagged during a placement needs a new assessment."
    ),
    "SC-10": "Safe care is discussed at every supervision and written in the supervision record.",
    "SC-11": "Carers tell the SSW if the foster child or their own children take part in risky activities.",
    "SC-12": (
        "A foster child is never left with anyone, for any length of time, without the service "
        "knowing and agreeing, and never for more than 24 hours without that."
    ),
    "DV-1": (
        "Every camera and microphone in or around the home is on the household's device register: "
        "its type, room and kind of room, how it is positioned, what it records, its purpose, "
        "whether it is online or uploads to the cloud, its security, who is responsible, how long "
        "recordings are kept, where and who can see them."
    ),
    "DV-2": (
        "Carers tell the service before they install or change a device. Their SSW asks them about "
        "devices at regular intervals."
    ),
    "DV-3": (
        "No camera in any bedroom or sleeping area, adults' included. No camera or microphone in a "
        "child's bedroom, a bathroom or a toilet. A device with a camera counts as a camera "
        "whatever it is sold as. The only exception is a baby monitor for the child who sleeps in "
        "that room (DV-9)."
    ),
    "DV-4": (
        "No CCTV or security camera inside the home unless the service agrees an exception (CX "
        "rules). Nothing may be used to watch or supervise the children, except a DV-9 baby monitor "
        "in that child's own sleeping area. An applicant's cameras inside are taken out before "
        "approval."
    ),
    "DV-5": (
        "CCTV outside the home (a driveway, a garden) is allowed only to protect the property from crime."
    ),
    "DV-6": (
        "Smart speakers are allowed in shared rooms. Whether one is allowed in a child's bedroom is "
        "the service's choice."
    ),
    "DV-7": (
        "A device that is online, or uploads to the cloud or another company, is protected by a "
        "strong password and two-factor authentication, and its software is kept up to date. A "
        "service may ask for only one of the password or two-factor authentication."
    ),
    "DV-8": "A pet camera is allowed in a shared room to watch animals when nobody is home or overnight.",
    "DV-9": (
        "A baby monitor, with or without a camera, is allowed to keep a sleeping baby safe. For an "
        "older child with sleep difficulties or a health condition, only when the child's social "
        "worker and the SSW agree, and with the child's consent if they can give it. The monitor "
        "names the child and is in the room where that child sleeps. A monitor for an older child "
        "that records video or uploads to the cloud is also decided by the person who decides CCTV "
        "exceptions."
    ),
    "DV-10": (
        "Every device is written into the Safe Caring Family Agreement and into each child's "
        "agreement: where it is, how it is positioned, why, and that everyone knows."
    ),
    "DV-11": (
        "Everyone who lives in the home, children included, is told where devices are and why. "
        "Visitors are told about cameras inside."
    ),
    "DV-12": (
        "Recordings are kept no longer than needed. For agreed CCTV inside the home, footage with "
        "no use is deleted within 24 hours."
    ),
    "CX-1": (
        "A request says why CCTV is needed for the safety of the household, what else was tried and "
        "why it is not enough, how long it is needed, where each camera is and how it is "
        "positioned, who sees and deletes footage, whether it is needed as evidence, that online "
        "systems have current security software, and which children in care live there and how they "
        "are affected."
    ),
    "CX-2": (
        "Cameras only in shared rooms, never in bedrooms, bathrooms or toilets, and never to "
        "supervise children."
    ),
    "CX-3": (
        "The carers, the SSW and the fostering team manager sign the report, in that order. Then "
        "the head of fostering decides: agree or not, with comments and conditions."
    ),
    "CX-4": "The social worker of every child in the home agrees.",
    "CX-5": (
        "The decision goes on the carers' file and the carers get a copy. Each child's agreement "
        "then records the cameras, where and why."
    ),
    "CX-6": (
        "An agreed exception holds only for the period asked for and the children named. A new "
        "child placed, or the end of the period, reopens it."
    ),
    "PH-1": "Documents the service gives a carer are never stored on the carer's own devices.",
    "PH-2": "Carers send reports and recordings through the portal.",
    "PH-3": (
        "The child's views on being photographed are respected. Known photography issues are "
        "recorded when the placement is planned. Photo permissions for school and the community are "
        "decided with the child's social worker."
    ),
    "PH-4": (
        "Photos of a child are confidential: kept securely, never on public websites or social "
        "media, never in revealing clothes, undressed or in the bath."
    ),
    "PH-5": (
        "When a placement ends, the child's photos go to the child's social worker for life-story "
        "work. The carer keeps a few only as agreed with the SSW."
    ),
    "PH-6": (
        "A lost or stolen camera, phone, prints or storage device is reported to the child's social "
        "worker as soon as possible."
    ),
    "SOC-1": (
        "A concern about a carer's practice is recorded with who raised it (they may stay "
        "anonymous) and when. The SSW tells a fostering manager immediately."
    ),
    "SOC-2": (
        "The fostering manager decides the route: the local authority designated officer (LADO) "
        "when the carer may have harmed a child or may be unsuitable, safeguarding and the LADO for "
        "the carer's own child, the other borough's LADO for a carer who lives there; otherwise "
        "standards of care or the complaints procedure."
    ),
    "SOC-3": (
        "An allegation investigation that found no evidence of harm never turns into a standards of "
        "care procedure. A new concern is raised separately."
    ),
    "SOC-4": (
        "The SSW visits within 5 working days of hearing of the concern, names the relevant "
        "National Minimum Standards and agrees actions with timescales. The SSW and carer sign the "
        "visit record, which goes to the fostering manager and the carer within 5 working days."
    ),
    "SOC-5": (
        "A standards of care meeting is held when there are 3 concerns within 12 months, a pattern, "
        "a refused action plan, actions not done on time, or one concern serious enough."
    ),
    "SOC-6": (
        "Once a meeting is decided, the SSW refers the carer to the Fostering Network for an "
        "independent support worker within 2 working days."
    ),
    "SOC-7": (
        "The SSW and the child's social worker write the meeting report. The fostering team manager "
        "checks it. It goes to the chair at least 5 clear working days before the meeting, and to "
        "the carer (and any advocate) at least 10 calendar days before."
    ),
    "SOC-8": (
        "Business support arranges the meeting and sends the invitations, with the procedure, the "
        "confidentiality agreement and the code of conduct, to everyone who attends. The carer may "
        "send a response to the chair."
    ),
    "SOC-9": "The chair sends the minutes within 3 weeks of the meeting.",
    "SOC-10": (
        "The outcome is actions for the carer, or a referral to the fostering panel, whose "
        "recommendation goes to the agency decision maker, who may deregister. The carer may ask "
        "for an independent review. The SSW keeps supporting the carers."
    ),
    "SOC-11": (
        "A carer who resigns in writing during the process is deregistered 28 calendar days later. "
        "The resignation cannot be withdrawn or declined. The panel is told. A return needs a full "
        "new assessment."
    ),
    "SOC-12": "The meeting report includes a history of earlier relevant concerns.",
    "IM-1": (
        "Anyone caring for a young person who thinks their internet use puts them, or others, at "
        "substantial risk of significant harm tells the young person's social worker immediately."
    ),
    "IM-2": (
        "The social worker assesses the risk with the young person, their family where right, and "
        "the relevant officers and carers."
    ),
    "IM-3": (
        "If the risk is significant, the social worker and manager hold a strategy discussion. The "
        "case may go to the extra-familial risk of harm panel, or for extremism to the Channel "
        "panel. Panel minutes go on the file."
    ),
    "IM-4": (
        "The social worker reviews the assessment with team and service managers, considers legal "
        "advice and records why it was or was not taken."
    ),
    "IM-5": (
        "A decision to monitor records the reasons, and the evidence that less restrictive measures "
        "would not reduce the risk enough."
    ),
    "IM-6": (
        "The proposal is discussed with the young person and family. A young person without family "
        "support is offered an advocate."
    ),
    "IM-7": (
        "Monitoring starts only with the written agreement of the young person, if Gillick "
        "competent, or of a person with parental responsibility. The local authority as corporate "
        "parent cannot agree."
    ),
    "IM-8": "The agreement has an end date and a plan to replace monitoring with positive measures.",
    "IM-9": (
        "The agreement is reviewed with the young person, family and everyone involved after one "
        "month, then at least every three months."
    ),
    "DP-1": (
        "A foster carer can have everything the service holds about them, as one export, within one "
        "month of asking (UK GDPR, article 15)."
    ),
    "DP-2": (
        "A child's record is kept until their 75th birthday, and a foster carer's for 10 years after "
        "their approval ends (Fostering Services (England) Regulations 2011, regulation 32). After "
        "that it is deleted, once a named person confirms."
    ),
}
