-- An operator may re-submit a rejected message after a fix; the latest attempt and its outcome are kept with it.
alter table rejected_messages
    add column resubmitted_at   timestamptz,
    add column resubmit_outcome text;
