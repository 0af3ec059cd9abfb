import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  CitationRegistry,
  findCitations,
  scanCitations,
  type ExternalReference,
} from '../src/web/render/citations.js';
import { renderDescription, renderInlineText } from '../src/web/render/markdown.js';

// Real objects, copied by hand from the ATT&CK STIX bundles named in each
// comment. Only `source_name` and `url` of the references are kept.

// Enterprise 18.1, attack-pattern--1ecfdab8-7d59-4c98-95d4-dc41970f57fc (T1003.004 LSA Secrets).
// Five citations of four distinct sources, "ired Dumping LSA Secrets" twice.
const LSA_SECRETS = {
  description:
    'Adversaries with SYSTEM access to a host may attempt to access Local Security Authority (LSA) secrets, which can contain a variety of different credential materials, such as credentials for service accounts.(Citation: Passcape LSA Secrets)(Citation: Microsoft AD Admin Tier Model)(Citation: Tilbury Windows Credentials) LSA secrets are stored in the registry at <code>HKEY_LOCAL_MACHINE\\SECURITY\\Policy\\Secrets</code>. LSA secrets can also be dumped from memory.(Citation: ired Dumping LSA Secrets)\n\n[Reg](https://attack.mitre.org/software/S0075) can be used to extract from the Registry. [Mimikatz](https://attack.mitre.org/software/S0002) can be used to extract secrets from memory.(Citation: ired Dumping LSA Secrets)',
  references: [
    { source_name: 'mitre-attack', url: 'https://attack.mitre.org/techniques/T1003/004', external_id: 'T1003.004' },
    {
      source_name: 'Tilbury Windows Credentials',
      url: 'https://www.first.org/resources/papers/conf2017/Windows-Credentials-Attacks-and-Mitigation-Techniques.pdf',
    },
    {
      source_name: 'ired Dumping LSA Secrets',
      url: 'https://ired.team/offensive-security/credential-access-and-credential-dumping/dumping-lsa-secrets',
    },
    {
      source_name: 'Microsoft AD Admin Tier Model',
      url: 'https://docs.microsoft.com/en-us/windows-server/identity/securing-privileged-access/securing-privileged-access-reference-material?redirectedfrom=MSDN',
    },
    { source_name: 'Passcape LSA Secrets', url: 'https://www.passcape.com/index.php?section=docsys&cmd=details&id=23' },
    { source_name: 'Powersploit', url: 'https://github.com/mattifestation/PowerSploit' },
  ] satisfies ExternalReference[],
};

// Enterprise 18.1, relationship--a29d9514-3284-4ac2-a93a-e17750519534 (PlugX uses T1547.001).
// Eight citations of seven distinct sources, all from the relationship's own references.
const PLUGX_RUN_KEYS = {
  description:
    '[PlugX](https://attack.mitre.org/software/S0013) adds Run key entries in the Registry to establish persistence.(Citation: Eset PlugX Korplug Mustang Panda March 2022)(Citation: CIRCL PlugX March 2013)(Citation: DOJ Affidavit Search and Seizure PlugX December 2024)(Citation: EclecticIQ Mustang Panda PlugX)(Citation: PWC Cloud Hopper Technical Annex April 2017)(Citation: Sophos Mustang Panda PLUGX)(Citation: Lastline PlugX Analysis) [PlugX](https://attack.mitre.org/software/S0013) has established persistence via the registry keys `HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run` and `HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`.(Citation: Eset PlugX Korplug Mustang Panda March 2022)',
  references: [
    {
      source_name: 'Eset PlugX Korplug Mustang Panda March 2022',
      url: 'https://www.welivesecurity.com/2022/03/23/mustang-panda-hodur-old-tricks-new-korplug-variant/',
    },
    { source_name: 'CIRCL PlugX March 2013', url: 'http://circl.lu/assets/files/tr-12/tr-12-circl-plugx-analysis-v1.pdf' },
    {
      source_name: 'DOJ Affidavit Search and Seizure PlugX December 2024',
      url: 'https://www.justice.gov/archives/opa/media/1384136/dl',
    },
    {
      source_name: 'EclecticIQ Mustang Panda PlugX',
      url: 'https://blog.eclecticiq.com/mustang-panda-apt-group-uses-european-commission-themed-lure-to-deliver-plugx-malware',
    },
    {
      source_name: 'PWC Cloud Hopper Technical Annex April 2017',
      url: 'https://www.pwc.co.uk/cyber-security/pdf/pwc-uk-operation-cloud-hopper-technical-annex-april-2017.pdf',
    },
    {
      source_name: 'Sophos Mustang Panda PLUGX',
      url: 'https://www.secureworks.com/blog/bronze-president-targets-government-officials',
    },
    { source_name: 'Lastline PlugX Analysis', url: 'https://lastline3.rssing.com/chan-29044929/all_p1.html#c29044929a2' },
  ] satisfies ExternalReference[],
};

// ICS 16.1, relationship--94a27526-f76b-4a64-8c9a-71f09e6fd9d4: two adjacent
// citations whose names contain parentheses.
const SANDWORM_HMI = {
  description:
    "[Sandworm](https://collaborate.mitre.org/attackics/index.php/Group/G0007) actors exploited vulnerabilities in GE's Cimplicity HMI and Advantech/Broadwin WebAccess HMI software which had been directly exposed to the internet.(Citation: CISA ICS Alert (ICS-ALERT-14-281-01E))(Citation: CISA ICS Advisory (ICSA-11-094-02B))",
  references: [
    { source_name: 'CISA ICS Alert (ICS-ALERT-14-281-01E)', url: 'https://www.us-cert.gov/ics/alerts/ICS-ALERT-14-281-01B' },
    { source_name: 'CISA ICS Advisory (ICSA-11-094-02B)', url: 'https://www.us-cert.gov/ics/advisories/ICSA-11-094-02B' },
  ] satisfies ExternalReference[],
};

// ICS 16.1, relationship--2da5cf39-7937-4ed3-b847-cb1926e6a4a5: the citation
// lacks its final `)`.
const DRAGONFLY_PORTS = {
  description:
    '[Dragonfly](https://collaborate.mitre.org/attackics/index.php/Group/G0002) communicated with command and control over TCP ports 445 and 139 or UDP 137 or 138.(Citation: CISA Alert (TA17-293A)',
  references: [
    { source_name: 'CISA Alert (TA17-293A)', url: 'https://www.us-cert.gov/ncas/alerts/TA17-293A' },
  ] satisfies ExternalReference[],
};

// Enterprise 18.1, relationship--3a3dd5f2-61af-4617-81b0-c12900f5f8e6: cites a
// source but has no external references at all.
const TERMINAL_SERVICES_MITIGATION = {
  description:
    'Consider using Group Policy to configure and block modifications to Terminal Services parameters in the Registry.(Citation: Microsoft System Services Fundamentals)',
  references: [] satisfies ExternalReference[],
};

// Enterprise 18.1, relationship--0500bac5-bc50-4529-ae5f-b4e1a85fa7d7: a
// backslash right before `</code>`.
const APT37_RUN_KEY = {
  description:
    "[APT37](https://attack.mitre.org/groups/G0067)'s has added persistence via the Registry key <code>HKCU\\Software\\Microsoft\\CurrentVersion\\Run\\</code>.(Citation: FireEye APT37 Feb 2018)(Citation: Talos Group123)",
  references: [
    {
      source_name: 'FireEye APT37 Feb 2018',
      url: 'https://services.google.com/fh/files/misc/apt37-reaper-the-overlooked-north-korean-actor.pdf',
    },
    { source_name: 'Talos Group123', url: 'https://blog.talosintelligence.com/2018/01/korea-in-crosshairs.html' },
  ] satisfies ExternalReference[],
};

const REFERENCES: ExternalReference[] = [
  { source_name: 'Alpha', url: 'https://example.com/alpha', description: 'Alpha report.' },
  { source_name: 'Beta', url: 'https://example.com/beta' },
  { source_name: 'Gamma' },
];

const ALLOWED_TAGS = new Set([
  'p', 'br', 'hr', 'em', 'strong', 'u', 'b', 'i', 's', 'del', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote',
  'a', 'sup', 'sub', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'h3', 'h4', 'h5', 'h6',
]);
const ALLOWED_ATTRIBUTES = new Set(['href', 'title', 'rel', 'class', 'id', 'start', 'colspan', 'rowspan']);
const SAFE_HREF = /^(?:https?:\/\/|mailto:|#|\/(?!\/))/i;

function citationLinks(markup: string): string[] {
  return [...markup.matchAll(/<sup class="cite"><a href="#ref-(\d+)" id="cite-\d+-\d+">\[\1\]<\/a><\/sup>/g)].map(
    (match) => match[1]!,
  );
}

/** Asserts that every tag in `markup` is allowed and that no attribute can run script. */
function assertInert(markup: string): void {
  for (const tag of markup.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)([^>]*)>/g)) {
    const name = tag[1]!.toLowerCase();
    assert.ok(ALLOWED_TAGS.has(name), `tag <${name}> is not allowed in ${markup}`);
    for (const attribute of tag[2]!.matchAll(/([^\s=/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      const attributeName = attribute[1]!.toLowerCase();
      assert.ok(ALLOWED_ATTRIBUTES.has(attributeName), `attribute ${attributeName} is not allowed in ${tag[0]}`);
      if (attributeName === 'href') {
        const value = (attribute[2] ?? '').replace(/^["']|["']$/g, '');
        assert.match(value, SAFE_HREF, `unsafe href in ${tag[0]}`);
      }
      if (attributeName === 'class') assert.ok(tag[0].startsWith('<sup class="cite">'), `class outside citation markup in ${tag[0]}`);
    }
  }
}

describe('findCitations', () => {
  test('names in order with repeats', () => {
    assert.deepEqual(findCitations('a (Citation: A) b (Citation: B) c (Citation: A)'), ['A', 'B', 'A']);
  });

  test('balanced parentheses in names', () => {
    assert.deepEqual(findCitations(SANDWORM_HMI.description), [
      'CISA ICS Alert (ICS-ALERT-14-281-01E)',
      'CISA ICS Advisory (ICSA-11-094-02B)',
    ]);
  });

  test('adjacent citations', () => {
    assert.deepEqual(findCitations('x.(Citation: A)(Citation: B)(Citation: C)'), ['A', 'B', 'C']);
  });

  test('white space around name', () => {
    assert.deepEqual(findCitations('(Citation:A) (Citation:   B  ) (Citation: C\t)'), ['A', 'B', 'C']);
  });

  test('missing final paren after group', () => {
    assert.deepEqual(findCitations(DRAGONFLY_PORTS.description), ['CISA Alert (TA17-293A)']);
  });

  test('span covers whole citation', () => {
    const text = 'x (Citation: A (b)) y';
    const [span] = scanCitations(text);
    assert.ok(span !== undefined);
    assert.equal(text.slice(span.start, span.end), '(Citation: A (b))');
  });

  test('unterminated citations skipped', () => {
    assert.deepEqual(findCitations('(Citation: A'), []);
    assert.deepEqual(findCitations('(Citation: A\nnext line)'), []);
    assert.deepEqual(findCitations('(Citation: A(Citation: B)'), ['B']);
    assert.deepEqual(findCitations('(Citation: ) (Citation:)'), []);
  });

  test('plain parentheses ignored', () => {
    assert.deepEqual(findCitations('see (T1059) and (Citations: A) and citation: A'), []);
  });
});

describe('CitationRegistry', () => {
  test('numbers in order of first citation', () => {
    const registry = new CitationRegistry();
    assert.equal(registry.cite('Beta', REFERENCES), 1);
    assert.equal(registry.cite('Alpha', REFERENCES), 2);
    assert.equal(registry.cite('Beta', REFERENCES), 1);
    assert.equal(registry.useCount(1), 2);
    assert.equal(registry.useCount(2), 1);
    assert.equal(registry.useCount(3), 0);
  });

  test('unknown name returns undefined', () => {
    const registry = new CitationRegistry();
    assert.equal(registry.cite('Nope', REFERENCES), undefined);
    assert.equal(registry.size, 0);
    assert.deepEqual(registry.entries(), []);
  });

  test('registered name needs no reference', () => {
    const registry = new CitationRegistry();
    registry.cite('Alpha', REFERENCES);
    assert.equal(registry.cite('Alpha', []), 1);
  });

  test('first reference of a name wins', () => {
    const registry = new CitationRegistry();
    const duplicates: ExternalReference[] = [
      { source_name: 'Alpha', url: 'https://example.com/first' },
      { source_name: 'Alpha', url: 'https://example.com/second' },
    ];
    registry.cite('Alpha', duplicates);
    registry.cite('Alpha', [{ source_name: 'Alpha', url: 'https://example.com/other-object' }]);
    assert.equal(registry.entries()[0]?.url, 'https://example.com/first');
  });

  test('source name with trailing space', () => {
    // Enterprise 18.1 has about 100 such references, for example "Dragos DYMALLOY ".
    const registry = new CitationRegistry();
    assert.equal(registry.cite('Dragos DYMALLOY', [{ source_name: 'Dragos DYMALLOY ' }]), 1);
    assert.equal(registry.entries()[0]?.sourceName, 'Dragos DYMALLOY');
  });

  test('entries in number order', () => {
    const registry = new CitationRegistry();
    registry.cite('Gamma', REFERENCES);
    registry.cite('Alpha', REFERENCES);
    assert.deepEqual(registry.entries(), [
      { number: 1, sourceName: 'Gamma' },
      { number: 2, sourceName: 'Alpha', description: 'Alpha report.', url: 'https://example.com/alpha' },
    ]);
  });

  test('entries are copies', () => {
    const registry = new CitationRegistry();
    registry.cite('Alpha', REFERENCES);
    registry.entries()[0]!.number = 99;
    assert.equal(registry.entries()[0]?.number, 1);
  });
});

describe('renderDescription citations', () => {
  test('numbering across two renders', () => {
    const registry = new CitationRegistry();
    const first = renderDescription('One.(Citation: Beta) Two.(Citation: Alpha)', REFERENCES, registry).value;
    const second = renderDescription('Three.(Citation: Gamma)(Citation: Beta)', REFERENCES, registry).value;

    assert.deepEqual(citationLinks(first), ['1', '2']);
    assert.deepEqual(citationLinks(second), ['3', '1']);
    assert.deepEqual(
      registry.entries().map((entry) => entry.sourceName),
      ['Beta', 'Alpha', 'Gamma'],
    );
  });

  test('repeat reuses number', () => {
    const registry = new CitationRegistry();
    const markup = renderDescription('a (Citation: Alpha) b (Citation: Alpha)', REFERENCES, registry).value;
    assert.deepEqual(citationLinks(markup), ['1', '1']);
    assert.match(markup, /id="cite-1-1"/);
    assert.match(markup, /id="cite-1-2"/);
    assert.equal(registry.size, 1);
  });

  test('citation markup', () => {
    const markup = renderDescription('Text.(Citation: Alpha)', REFERENCES, new CitationRegistry()).value;
    assert.equal(markup, '<p>Text.<sup class="cite"><a href="#ref-1" id="cite-1-1">[1]</a></sup></p>\n');
  });

  test('parenthesised names from ICS', () => {
    const registry = new CitationRegistry();
    const markup = renderDescription(SANDWORM_HMI.description, SANDWORM_HMI.references, registry).value;
    assert.deepEqual(citationLinks(markup), ['1', '2']);
    assert.doesNotMatch(markup, /Citation/);
    assert.doesNotMatch(markup, /\)\)/);
    assert.deepEqual(
      registry.entries().map((entry) => entry.sourceName),
      ['CISA ICS Alert (ICS-ALERT-14-281-01E)', 'CISA ICS Advisory (ICSA-11-094-02B)'],
    );
  });

  test('missing final paren from ICS', () => {
    const markup = renderDescription(DRAGONFLY_PORTS.description, DRAGONFLY_PORTS.references, new CitationRegistry()).value;
    assert.deepEqual(citationLinks(markup), ['1']);
    assert.match(markup, /or 138\.<sup class="cite">/);
  });

  test('unmatched citation stays readable', () => {
    const registry = new CitationRegistry();
    const markup = renderDescription(
      TERMINAL_SERVICES_MITIGATION.description,
      TERMINAL_SERVICES_MITIGATION.references,
      registry,
    ).value;
    assert.match(markup, /\(Citation: Microsoft System Services Fundamentals\)/);
    assert.doesNotMatch(markup, /<sup/);
    assert.equal(registry.size, 0);
  });

  test('unmatched next to matched', () => {
    const markup = renderDescription('x (Citation: Alpha)(Citation: Missing)', REFERENCES, new CitationRegistry()).value;
    assert.deepEqual(citationLinks(markup), ['1']);
    assert.match(markup, /\[1\]<\/a><\/sup>\(Citation: Missing\)/);
  });

  test('code span citation untouched', () => {
    const registry = new CitationRegistry();
    const markup = renderDescription('`(Citation: Alpha)` and <code>(Citation: Beta)</code>', REFERENCES, registry).value;
    assert.match(markup, /<code>\(Citation: Alpha\)<\/code>/);
    assert.match(markup, /<code>\(Citation: Beta\)<\/code>/);
    assert.equal(registry.size, 0);
  });

  test('link text citation untouched', () => {
    const registry = new CitationRegistry();
    const markup = renderDescription('[see (Citation: Alpha)](https://example.com)', REFERENCES, registry).value;
    assert.match(markup, /<a href="https:\/\/example.com" rel="noopener noreferrer">see \(Citation: Alpha\)<\/a>/);
    assert.equal(registry.size, 0);
  });

  test('real description fully linked', () => {
    // By hand: Passcape, Microsoft AD Admin Tier Model, Tilbury, ired (twice).
    const registry = new CitationRegistry();
    const markup = renderDescription(LSA_SECRETS.description, LSA_SECRETS.references, registry).value;
    const links = citationLinks(markup);

    assert.equal(links.length, 5);
    assert.equal(new Set(links).size, 4);
    assert.deepEqual(links, ['1', '2', '3', '4', '4']);
    assert.doesNotMatch(markup, /Citation/);
    assert.match(markup, /<code>HKEY_LOCAL_MACHINE\\SECURITY\\Policy\\Secrets<\/code>/);
    assert.deepEqual(
      registry.entries().map((entry) => entry.sourceName),
      ['Passcape LSA Secrets', 'Microsoft AD Admin Tier Model', 'Tilbury Windows Credentials', 'ired Dumping LSA Secrets'],
    );
    assert.equal(registry.entries()[0]?.url, 'https://www.passcape.com/index.php?section=docsys&cmd=details&id=23');
  });

  test('relationship own references', () => {
    // By hand: seven distinct sources, the Eset report cited first and last.
    const registry = new CitationRegistry();
    const markup = renderInlineText(PLUGX_RUN_KEYS.description, PLUGX_RUN_KEYS.references, registry).value;
    const links = citationLinks(markup);

    assert.equal(links.length, 8);
    assert.equal(new Set(links).size, 7);
    assert.equal(links[7], '1');
    assert.match(markup, /<code>HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run<\/code>/);
  });

  test('placeholder characters cannot forge citations', () => {
    const markup = renderDescription('a \uE0001.1\uE001 b', REFERENCES, new CitationRegistry()).value;
    assert.doesNotMatch(markup, /<sup/);
    assert.doesNotMatch(markup, /[\uE000\uE001]/);
  });

  test('registries stay separate', () => {
    const registryA = new CitationRegistry();
    const registryB = new CitationRegistry();
    renderDescription('(Citation: Alpha)', REFERENCES, registryA);
    const markup = renderDescription('(Citation: Beta)', REFERENCES, registryB).value;
    assert.deepEqual(citationLinks(markup), ['1']);
    assert.equal(registryA.size, 1);
  });
});

describe('renderDescription markup', () => {
  test('code span backslashes and brackets', () => {
    const markup = renderDescription(
      'Files in `C:\\Windows\\System32` and `C:\\Users\\<username>\\AppData` and `<script>`.',
      [],
      new CitationRegistry(),
    ).value;
    assert.match(markup, /<code>C:\\Windows\\System32<\/code>/);
    assert.match(markup, /<code>C:\\Users\\&lt;username&gt;\\AppData<\/code>/);
    assert.match(markup, /<code>&lt;script&gt;<\/code>/);
  });

  test('HTML code and u kept', () => {
    const markup = renderDescription(
      'Key <code>HKLM\\SOFTWARE</code> is <u>underlined</u>.<br>Next',
      [],
      new CitationRegistry(),
    ).value;
    assert.equal(markup, '<p>Key <code>HKLM\\SOFTWARE</code> is <u>underlined</u>.<br />Next</p>\n');
  });

  test('backslash before closing tag', () => {
    const markup = renderDescription(APT37_RUN_KEY.description, APT37_RUN_KEY.references, new CitationRegistry()).value;
    assert.match(markup, /<code>HKCU\\Software\\Microsoft\\CurrentVersion\\Run\\<\/code>\./);
    assert.deepEqual(citationLinks(markup), ['1', '2']);
  });

  test('placeholder tags shown as typed', () => {
    const markup = renderDescription(
      'Run <code>net view <host></code> in the <RUN> hive under <Excel Version>.',
      [],
      new CitationRegistry(),
    ).value;
    assert.equal(
      markup,
      '<p>Run <code>net view &lt;host&gt;</code> in the &lt;RUN&gt; hive under &lt;Excel Version&gt;.</p>\n',
    );
  });

  test('headings two levels lower', () => {
    const markup = renderDescription('# One\n\n## Two\n\n<h1>Raw</h1>', [], new CitationRegistry()).value;
    assert.match(markup, /<h3>One<\/h3>/);
    assert.match(markup, /<h4>Two<\/h4>/);
    assert.match(markup, /<h3>Raw<\/h3>/);
    assert.doesNotMatch(markup, /<h[12]/);
  });

  test('lists, tables and emphasis', () => {
    const markup = renderDescription(
      '* **bold** _em_\n* two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote',
      [],
      new CitationRegistry(),
    ).value;
    assert.match(markup, /<ul>\n<li><strong>bold<\/strong> <em>em<\/em><\/li>/);
    assert.match(markup, /<table>/);
    assert.match(markup, /<td>1<\/td>/);
    assert.match(markup, /<blockquote>/);
    assertInert(markup);
  });

  test('external link gets rel', () => {
    const markup = renderDescription(
      '[a](https://example.com) [m](mailto:x@example.com) <a href="http://example.com" rel="opener" target="_blank">h</a>',
      [],
      new CitationRegistry(),
    ).value;
    assert.match(markup, /<a href="https:\/\/example.com" rel="noopener noreferrer">a<\/a>/);
    assert.match(markup, /<a href="mailto:x@example.com" rel="noopener noreferrer">m<\/a>/);
    assert.match(markup, /<a href="http:\/\/example.com" rel="noopener noreferrer">h<\/a>/);
    assert.doesNotMatch(markup, /target=/);
    assert.doesNotMatch(markup, /rel="opener"/);
  });

  test('class and id only on citations', () => {
    const markup = renderDescription(
      '<sup class="cite" id="ref-1">fake</sup> <a href="#x" id="cite-1-1" name="x" class="c">y</a> <code class="language-js">z</code>',
      [],
      new CitationRegistry(),
    ).value;
    assert.doesNotMatch(markup, /class=/);
    assert.doesNotMatch(markup, /id=/);
    assert.doesNotMatch(markup, /name=/);
    assert.match(markup, /<sup>fake<\/sup>/);
  });
});

describe('renderDescription hostile input', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['script element', '<script>alert(1)</script>', /<script/i],
    ['img onerror', '<img src=x onerror=alert(1)>', /<img/i],
    ['markdown javascript link', '[x](javascript:alert(1))', /href/i],
    ['html javascript link', '<a href="javascript:alert(1)">x</a>', /href/i],
    ['mixed case scheme', '<a href="JaVaScRiPt:alert(1)">x</a>', /href/i],
    ['entity encoded scheme', '<a href="&#106;avascript:alert(1)">x</a>', /href/i],
    ['tab in scheme', '<a href="java\tscript:alert(1)">x</a>', /href/i],
    ['data url', '<a href="data:text/html,<script>alert(1)</script>">x</a>', /href/i],
    ['protocol relative url', '<a href="//evil.example">x</a>', /href/i],
    ['nested script tags', '<scr<script>ipt>alert(1)</script>', /<script/i],
    ['style element', '<style>body { display: none }</style>', /<style/i],
    ['iframe element', '<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['event handler on allowed tag', '<b onclick="alert(1)" style="color:red">x</b>', /onclick|style=/i],
    ['svg script', '<svg><script>alert(1)</script></svg>', /<svg|<script/i],
    ['script html block', '<script>\nalert(1)\n</script>\n\ntext', /<script/i],
    ['markdown image', '![x](javascript:alert(1)) ![y](https://evil.example/y.png)', /<img/i],
    ['html comment', 'a <!-- <script>alert(1)</script> --> b', /<script/i],
  ];

  for (const [name, input, forbidden] of cases) {
    test(name, () => {
      const markup = renderDescription(input, [], new CitationRegistry()).value;
      assert.doesNotMatch(markup, forbidden);
      assertInert(markup);
    });
  }

  test('script shown as text', () => {
    const markup = renderDescription('Before <script>alert(1)</script> after', [], new CitationRegistry()).value;
    assert.equal(markup, '<p>Before &lt;script&gt;alert(1)&lt;/script&gt; after</p>\n');
  });

  test('nested script shown as text', () => {
    const markup = renderDescription('<scr<script>ipt>alert(1)</script>', [], new CitationRegistry()).value;
    assert.equal(markup, '<p>&lt;scr&lt;script&gt;ipt&gt;alert(1)&lt;/script&gt;</p>\n');
  });
});

describe('renderInlineText', () => {
  test('no paragraph wrapper', () => {
    const markup = renderInlineText('Uses **bold** and `C:\\x`.(Citation: Alpha)', REFERENCES, new CitationRegistry()).value;
    assert.equal(
      markup,
      'Uses <strong>bold</strong> and <code>C:\\x</code>.<sup class="cite"><a href="#ref-1" id="cite-1-1">[1]</a></sup>',
    );
  });

  test('shares numbering with descriptions', () => {
    const registry = new CitationRegistry();
    renderDescription('(Citation: Gamma)', REFERENCES, registry);
    const markup = renderInlineText('(Citation: Beta) (Citation: Gamma)', REFERENCES, registry).value;
    assert.deepEqual(citationLinks(markup), ['2', '1']);
    assert.match(markup, /id="cite-1-2"/);
  });

  test('block tags removed, text kept', () => {
    const markup = renderInlineText('<p>one</p><ul><li>two</li></ul><h1>three</h1>', [], new CitationRegistry()).value;
    assert.equal(markup, 'onetwothree');
  });

  test('hostile input inert', () => {
    const markup = renderInlineText(
      '<img src=x onerror=alert(1)> <a href="javascript:alert(1)">x</a> <iframe></iframe>',
      [],
      new CitationRegistry(),
    ).value;
    assert.doesNotMatch(markup, /<img/i);
    assert.doesNotMatch(markup, /<iframe/i);
    assert.doesNotMatch(markup, /href/i);
    assertInert(markup);
  });
});
