/** VERIFY.md: how anyone checks a pack with standard tools, then with verify.mjs. */
export function verifyMarkdown(o: {
  caseReference: string;
  packId: string;
  fingerprint: string;
  generatedAt: string;
  generator: string;
}): string {
  return `# Verifying this evidence pack

Case ${o.caseReference}, pack ${o.packId}, built ${o.generatedAt} (UTC) by ${o.generator}.

The pack was built by a retail crime hub for the police. It is not a Digital Evidence Management
System (DEMS); it is a package whose integrity anyone can check without the hub.

## 1. Standard tools

    unzip -t pack.zip            # the archive is intact
    unzip pack.zip -d pack && cd pack
    sha256sum -c SHA256SUMS      # every file prints OK

\`SHA256SUMS\` lists every file except itself and the two signature files, one per line: 64
lowercase hex digits, two spaces, the path relative to this folder, LF line endings.

## 2. The verifier

    node verify.mjs . --fingerprint ${o.fingerprint}

\`verify.mjs\` is one file using Node.js built-ins only (no network, no database, no other files).
It checks:

- every file's SHA-256 against \`SHA256SUMS\`, and that no unlisted file is present;
- \`SHA256SUMS.sig\`: an Ed25519 signature over the exact bytes of \`SHA256SUMS\`;
- \`checkpoint.sig\`: an Ed25519 signature over the exact bytes of \`checkpoint.json\`, which
  names the head of the continuity chain (sequence number and hash);
- \`manifest.json\` against \`SHA256SUMS\`, file for file (hash and size);
- \`continuity.jsonl\`: one canonical JSON object per line (keys sorted, no spaces), where
  \`hash = SHA-256( canonical_json(entry) ‖ prev_hash )\` over UTF-8 text, \`entry\` being the line
  without \`prev_hash\` and \`hash\`, and the first \`prev_hash\` is 64 zeros; the last line must be
  the signed head.

Each problem is printed as \`FAIL <file>[:<line>]: <what>\`; the exit code is 0 only if all pass.

## 3. The signing key

The Ed25519 public key is \`signing-key.pub.pem\`. Its fingerprint (SHA-256 of the DER
SubjectPublicKeyInfo) is:

    ${o.fingerprint}

Compare it with the fingerprints the hub publishes outside this pack, at
\`/.well-known/evidence-signing-keys\` on the hub's address (every key it has signed with, rotated
ones included, with the dates each was used), and pass the published one with \`--fingerprint\`: a
pack re-signed with another key then fails. The private key is held in a file
outside the hub's database; the database cannot read it, so rewriting the database cannot forge a
signature.

## 4. Contents

- \`summary/case-summary.pdf\`: the case summary for the MG5 (offences, subject, linked incidents
  with running total and chart against the £200 line, exclusion notices, legal rules applied).
- \`statements/\`: each MG11 witness statement with its s.9 declaration, signature and time;
  Impact Statements for Business (ISB) and Victim Personal Statements (VPS) where given.
- \`exhibits/\`: the original masters, byte for byte as captured, named by exhibit reference.
- \`continuity.jsonl\`, \`checkpoint.json\`, \`checkpoint.sig\`: the chain of custody.
- \`manifest.json\`, \`SHA256SUMS\`, \`SHA256SUMS.sig\`, \`signing-key.pub.pem\`.
`;
}
