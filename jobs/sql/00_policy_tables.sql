-- The compiled retention policy and the run's parameters, as temporary tables the jobs
-- read. The runner fills them from the policy file; nothing here is data about people.

-- The as-of day, and one subject when explaining (NULL: every subject).
CREATE OR REPLACE TEMP TABLE params (
    as_of        DATE NOT NULL,
    only_subject VARCHAR
);

-- Rules, their follow-ups and floors, in policy order.
CREATE OR REPLACE TEMP TABLE p_rules (
    rule_id    VARCHAR NOT NULL,
    ord        INTEGER NOT NULL,   -- position in the policy: the last tie-breaker
    kind       VARCHAR NOT NULL,   -- rule | follow_up | floor
    roles      VARCHAR[],          -- subject types it is for; NULL = any subject
    action     VARCHAR,            -- NULL for floors
    period     INTERVAL NOT NULL,  -- from the anchor; a follow-up's from its parent's due date
    parent     VARCHAR,            -- follow-ups: the rule they follow
    supersedes VARCHAR[] NOT NULL, -- rules that stop counting once this one is due
    scope      VARCHAR NOT NULL,   -- subject | channel:<kind>
    review     VARCHAR             -- a review reason the rule always raises
);

-- Anchor terms: alternative grp 0 is used when any of its terms has a date, else grp 1…
-- Within an alternative the latest (or earliest) date wins; a tie goes to the lower term.
CREATE OR REPLACE TEMP TABLE p_terms (
    term_id INTEGER NOT NULL,      -- unique: manifests get the label by it
    owner   VARCHAR NOT NULL,      -- rule or floor id
    grp     INTEGER NOT NULL,
    combine VARCHAR NOT NULL,      -- latest | earliest
    term    INTEGER NOT NULL,
    event   VARCHAR NOT NULL,      -- an event, or created / received
    qual    VARCHAR NOT NULL,      -- consent purpose, channel kind or '*'
    field   VARCHAR NOT NULL,      -- at | until
    label   VARCHAR NOT NULL       -- what manifests call the anchor
);

-- Conditions of rules, floors and exceptions: all of an owner's conditions must hold.
CREATE OR REPLACE TEMP TABLE p_conds (
    owner VARCHAR NOT NULL,
    ctype VARCHAR NOT NULL,        -- status | has | lacks | consent | channel
    vals  VARCHAR[],
    qual  VARCHAR,                 -- consent purpose or '*'
    state VARCHAR                  -- consent: given | withdrawn | none
);

-- The values of has, lacks and channel conditions, one a row.
CREATE OR REPLACE TEMP TABLE p_cond_vals (
    owner VARCHAR NOT NULL,
    ctype VARCHAR NOT NULL,
    val   VARCHAR NOT NULL
);

-- Rules that wait for others: due no earlier than the rules they name, where those apply.
CREATE OR REPLACE TEMP TABLE p_not_before (
    rule_id   VARCHAR NOT NULL,
    waits_for VARCHAR NOT NULL
);

-- Exceptions suspend rules while their conditions hold.
CREATE OR REPLACE TEMP TABLE p_exceptions (
    exception_id VARCHAR NOT NULL,
    suspends     VARCHAR[] NOT NULL
);

-- Events that answer a follow-up when they happen on or after its parent's due date.
CREATE OR REPLACE TEMP TABLE p_answers (
    rule_id VARCHAR NOT NULL,
    event   VARCHAR NOT NULL
);

-- The review reasons the policy switches on, with the look-back window of windowed ones.
CREATE OR REPLACE TEMP TABLE p_triggers (
    reason VARCHAR NOT NULL,
    within INTERVAL
);

-- Vocabulary shared with the Go code: lifecycle statuses (rank = same-day order),
-- action finality, destructive actions, rights-request and placement events.
CREATE OR REPLACE TEMP TABLE p_vocab (
    list VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    rank INTEGER NOT NULL
);
