/** A scenario file's YAML, with a new id and title: what a manager would upload. */
export const uploadYaml = (id: string, title = 'Uploaded buyer') =>
  `
id: ${id}
title: ${title}
language: da
sale: simple
difficulty: 2
brief: Du ringer til Mette.
persona:
  name: Mette
  role: indehaver
  company: Mettes Vaskeri
  personality: travl
  cares_about: [tid]
situation: s
buying_process: b
hidden_facts:
  - id: tid
    kind: pain
    fact: f
    reveal_when: r
    reveal_line: l
    keywords: [travl]
objections: [Hvorfor skifte?]
disguised_nos: [Vi tænker over det., For dyrt.]
flat_no: Næhh.
earned_yes: { kind: order, description: ordren, line: Kør. }
opening: Mette her.
offline:
  lines:
    guarded: [Tja.]
    pitch: [Mm.]
    pressure: [Rolig.]
    reflection: [Ja.]
    off_topic: [Hva?]
    impression: [Ikke endnu.]
    wrap_up: Jeg må løbe.
`.trimStart();
