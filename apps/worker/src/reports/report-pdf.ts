import PDFDocument from 'pdfkit';

export interface ReportData {
  partnershipName: string;
  policeForceArea: string;
  year: number;
  quarter: number;
  from: string;
  to: string;
  totals: Record<string, number>;
  /** exact: a quarter's sum can pass 2^53 pence */
  theftValuePence: bigint;
  months: { label: string; incidents: number; violent: number; againstStaff: number }[];
  stores: { name: string; incidents: number; violent: number }[];
  staffOffences: { label: string; count: number }[];
  police: { reported: number; attended: number; incidents: number; violent: number; violentReported: number };
  repeat: { offenders: number; repeat: number; incidentsByRepeat: number; linked: number };
}

const pct = (n: number, d: number) => (d > 0 ? `${Math.round((n / d) * 1000) / 10}%` : 'n/a');
const pounds = (p: bigint) => `£${((p + 50n) / 100n).toLocaleString('en-GB')}`;

/** Horizontal bar chart drawn with vector primitives. */
function bars(
  doc: PDFKit.PDFDocument,
  title: string,
  rows: { label: string; value: number }[],
  colour = '#2f5d8a',
) {
  const x = 50;
  const width = 300;
  const max = Math.max(1, ...rows.map((r) => r.value));
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(12).fillColor('#000').text(title, x);
  let y = doc.y + 4;
  doc.font('Helvetica').fontSize(9);
  for (const r of rows) {
    doc.fillColor('#000').text(r.label, x, y, { width: 150, lineBreak: false, ellipsis: true });
    const w = Math.max(1, (r.value / max) * width);
    doc.rect(x + 155, y, w, 10).fill(colour);
    doc.fillColor('#000').text(String(r.value), x + 160 + w, y, { lineBreak: false });
    y += 14;
  }
  doc.x = x;
  doc.y = y + 6;
}

/** Vertical grouped columns (a trend), with an axis line. */
function columns(
  doc: PDFKit.PDFDocument,
  title: string,
  points: { label: string; a: number; b: number }[],
  legend: [string, string],
) {
  const x0 = 70;
  const h = 120;
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(12).fillColor('#000').text(title, 50);
  const top = doc.y + 8;
  const max = Math.max(1, ...points.map((p) => Math.max(p.a, p.b)));
  const slot = Math.min(120, 420 / Math.max(1, points.length));
  doc
    .moveTo(x0, top + h)
    .lineTo(x0 + slot * points.length, top + h)
    .stroke('#444');
  doc
    .moveTo(x0, top)
    .lineTo(x0, top + h)
    .stroke('#444');
  doc.font('Helvetica').fontSize(8);
  points.forEach((p, i) => {
    const bx = x0 + i * slot + 8;
    const ha = (p.a / max) * h;
    const hb = (p.b / max) * h;
    doc.rect(bx, top + h - ha, slot / 3, ha).fill('#2f5d8a');
    doc.rect(bx + slot / 3 + 2, top + h - hb, slot / 3, hb).fill('#c0392b');
    doc.fillColor('#000').text(p.label, bx, top + h + 3, { width: slot - 8, lineBreak: false });
    doc.text(`${p.a}/${p.b}`, bx, top + h - ha - 10, { width: slot, lineBreak: false });
  });
  doc
    .fontSize(8)
    .fillColor('#2f5d8a')
    .text(`■ ${legend[0]}`, x0, top + h + 16, { continued: true });
  doc.fillColor('#c0392b').text(`   ■ ${legend[1]}`);
  doc.fillColor('#000');
  doc.x = 50;
  doc.y = top + h + 34;
}

/** Renders the quarterly partnership report; resolves with the PDF bytes. */
export function renderReport(d: ReportData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `Quarterly partnership report ${d.year} Q${d.quarter}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const t = d.totals;
  doc.font('Helvetica-Bold').fontSize(18).text('Quarterly partnership report');
  doc.font('Helvetica').fontSize(11).text(`${d.partnershipName} (${d.policeForceArea})`);
  doc.text(`${d.year} Q${d.quarter}: ${d.from} to ${d.to}`);
  doc
    .fontSize(8)
    .fillColor('#555')
    .text(
      'For the Community Safety Partnership briefing and the Police and Crime Commissioner. Hub figures count incidents reported by member stores; they are not survey or police-recorded figures.',
    );
  doc.fillColor('#000').moveDown();

  doc.font('Helvetica-Bold').fontSize(12).text('Summary');
  doc.font('Helvetica').fontSize(10);
  doc.text(`Incidents reported: ${t.incidents}`);
  doc.text(`Violent incidents: ${t.violent} (${pct(t.violent, t.incidents)})`);
  doc.text(`Offences against staff: ${t.against_staff} (${pct(t.against_staff, t.incidents)})`);
  doc.text(`Incidents with a weapon: ${t.with_weapon} (${pct(t.with_weapon, t.incidents)})`);
  doc.text(`Triggered by refusing an age-restricted sale: ${t.age_restricted}`);
  doc.text(`Thefts: ${t.thefts}, value ${pounds(d.theftValuePence)}`);

  columns(
    doc,
    'Trend by month',
    d.months.map((m) => ({ label: m.label, a: m.incidents, b: m.violent })),
    ['incidents', 'violent incidents'],
  );
  bars(
    doc,
    'Hot spots by store',
    d.stores.slice(0, 10).map((s) => ({ label: s.name, value: s.incidents })),
  );
  bars(
    doc,
    'Offences against staff',
    d.staffOffences.map((s) => ({ label: s.label, value: s.count })),
    '#c0392b',
  );

  doc.addPage();
  doc.font('Helvetica-Bold').fontSize(12).text('Police response');
  doc.font('Helvetica').fontSize(10);
  doc.text(
    `Reported to police: ${d.police.reported} of ${d.police.incidents} (${pct(d.police.reported, d.police.incidents)})`,
  );
  doc.text(`Police attended: ${d.police.attended} (${pct(d.police.attended, d.police.incidents)})`);
  doc.text(
    `Violent incidents reported: ${d.police.violentReported} of ${d.police.violent} (${pct(d.police.violentReported, d.police.violent)})`,
  );
  bars(doc, 'Police response (incidents)', [
    { label: 'reported to police', value: d.police.reported },
    { label: 'police attended', value: d.police.attended },
    { label: 'not reported', value: d.police.incidents - d.police.reported },
  ]);
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(12).text('Repeat offenders (counted, not named)');
  doc.font('Helvetica').fontSize(10);
  doc.text(`Known offenders linked to incidents: ${d.repeat.offenders}`);
  doc.text(`Repeat offenders (two or more incidents this quarter): ${d.repeat.repeat}`);
  doc.text(
    `Incidents by repeat offenders: ${d.repeat.incidentsByRepeat} of ${d.repeat.linked} linked incidents (${pct(d.repeat.incidentsByRepeat, d.repeat.linked)})`,
  );
  doc.end();
  return done;
}
