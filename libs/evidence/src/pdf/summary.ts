import type { CaseSummary, ScheduleRow } from '../plan';
import {
  contentWidth,
  ensureSpace,
  heading,
  labelled,
  MARGIN,
  newDocument,
  para,
  pdfText,
  pounds,
  ukDate,
  ukTime,
} from './common';

/**
 * The case summary that feeds the MG5: factual (it reaches the defence), offences only suggested.
 * Returns the document already ended: the caller pipes it.
 */
export function caseSummaryPdf(s: CaseSummary, generatedAt: string, generator: string): PDFKit.PDFDocument {
  const doc = newDocument(
    `Case summary ${s.reference}`,
    generatedAt,
    generator,
    (page, pages) =>
      `Case summary ${s.reference} - page ${page} of ${pages} - OFFICIAL-SENSITIVE once completed`,
  );
  doc.font('Helvetica-Bold').fontSize(16).text('CASE SUMMARY (MG5 style)', MARGIN);
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(
      pdfText(
        'Prepared from hub records for the officer in the case. Factual; offences are suggestions: police and the CPS charge, the court classifies.',
      ),
    );
  heading(doc, 'Case');
  labelled(doc, 'Case reference', s.reference);
  labelled(doc, 'Status', s.status);
  labelled(doc, 'Opened', `${ukTime(s.openedAt)} from ${s.openedFrom}`);
  labelled(doc, 'Officer in the case', s.officer ?? 'not yet assigned');
  labelled(
    doc,
    'Crime references',
    s.crimeReferences.length ? s.crimeReferences.join(', ') : 'none recorded',
  );
  labelled(doc, 'Pack generated', ukTime(generatedAt));

  heading(doc, 'Suggested offences');
  if (!s.offences.length) {
    para(doc, 'None suggested from the recorded incident types.');
  }
  for (const o of s.offences) {
    ensureSpace(doc, 50);
    const on = o.dates.map((d) => ukDate(`${d}T12:00:00Z`)).join(', ');
    const rows = `schedule row${o.rows.length > 1 ? 's' : ''} ${o.rows.join(', ')}`;
    para(doc, `- ${o.title} (${o.provision}): ${o.basis}. On ${on} (${rows}).`);
    for (const l of o.law) {
      para(doc, `    ${l}.`);
    }
  }

  heading(doc, 'Subject');
  if (s.subject) {
    labelled(doc, 'Name or label', s.subject.displayName);
    labelled(doc, 'Description', s.subject.description ?? 'none recorded');
    labelled(doc, 'Flags', s.subject.flags.length ? s.subject.flags.join('; ') : 'none');
  } else {
    para(
      doc,
      'No identified subject is linked to this case; offender descriptions are in the incident records.',
    );
  }

  if (s.priorityReasons.length) {
    heading(doc, 'Why this case was prioritised (RCAP factors)');
    for (const r of s.priorityReasons) {
      para(doc, `- ${r}`);
    }
  }

  scheduleTable(doc, s);
  valueChart(doc, s);

  heading(doc, 'Exclusion notices and proof of service');
  if (!s.exclusions.length) {
    para(doc, 'No exclusion notice is recorded for this subject.');
  }
  for (const e of s.exclusions) {
    ensureSpace(doc, 80);
    labelled(doc, 'Notice', e.reference ?? 'no reference');
    labelled(doc, 'Premises', e.premises);
    labelled(doc, 'Term', `${ukDate(e.termFrom)} to ${e.termTo ? ukDate(e.termTo) : 'no end date'}`);
    labelled(
      doc,
      'Served',
      `${ukTime(e.servedAt)} by ${e.servedBy ?? 'not recorded'} (${e.method ?? 'method not recorded'})`,
    );
    labelled(doc, 'Acknowledgement', e.acknowledgement ?? 'not recorded');
    doc.moveDown(0.3);
  }

  compensationTable(doc, s);

  heading(doc, 'Legal rules applied');
  if (!s.rules.length) {
    para(doc, 'No legal rules are recorded for this jurisdiction.');
  }
  for (const r of s.rules) {
    ensureSpace(doc, 50);
    const since = r.effectiveFrom
      ? `in force from ${ukDate(`${r.effectiveFrom}T12:00:00Z`)}`
      : 'not commenced (no date set)';
    labelled(doc, r.title, `${r.source} Status: ${since}, keyed on the ${r.keyDate}. ${r.appliedAs}`);
  }

  heading(doc, 'Evidence list');
  for (const e of s.evidenceList) {
    para(doc, `- ${e}`);
  }
  if (s.notes.length) {
    heading(doc, 'Notes');
    for (const n of s.notes) {
      para(doc, `- ${n}`);
    }
  }
  doc.end();
  return doc;
}

const COLS = [
  { title: '#', width: 20 },
  { title: 'Date', width: 62 },
  { title: 'Store', width: 80 },
  { title: 'Act', width: 80 },
  { title: 'Items', width: 110 },
  { title: 'Value', width: 52 },
  { title: 'Shop-theft total', width: 62 },
] as const;

function scheduleTable(doc: PDFKit.PDFDocument, s: CaseSummary): void {
  heading(doc, 'Schedule of linked incidents');
  para(
    doc,
    `One row per act. Value is the price at which the goods were offered for sale (s.22A(3) MCA 1980); recovery does not reduce it. Threshold ${pounds(s.thresholdPence)}.`,
  );
  doc.moveDown(0.4);
  const row = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
    const heights = cells.map((c, i) => doc.heightOfString(pdfText(c), { width: COLS[i].width - 4 }));
    const h = Math.max(...heights) + 4;
    ensureSpace(doc, h);
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      doc.text(pdfText(c), x + 2, y + 2, { width: COLS[i].width - 4, align: i >= 5 ? 'right' : 'left' });
      x += COLS[i].width;
    });
    doc
      .moveTo(MARGIN, y + h)
      .lineTo(x, y + h)
      .lineWidth(0.3)
      .strokeColor('#999999')
      .stroke();
    doc.x = MARGIN;
    doc.y = y + h;
  };
  row(
    COLS.map((c) => c.title),
    true,
  );
  for (const r of s.schedule) {
    row(
      [
        String(r.row),
        ukDate(r.occurredAt),
        r.storeName,
        r.act,
        `${r.items}${r.crimeReference ? ` (crime ref ${r.crimeReference})` : ''}`,
        r.valuePence === null ? '' : pounds(r.valuePence),
        r.runningTotalPence === null ? '' : pounds(r.runningTotalPence),
      ],
      false,
    );
  }
  const thefts = theftRows(s);
  const total = thefts.at(-1)?.runningTotalPence ?? 0;
  doc.moveDown(0.3);
  para(
    doc,
    `${thefts.length} shop theft(s) totalling ${pounds(total)}. ${
      thefts.length < 2
        ? ''
        : total > s.thresholdPence
          ? `Charged together on one occasion the aggregate exceeds ${pounds(s.thresholdPence)}; see the legal rules below for whether s.22A governs them.`
          : `The aggregate does not exceed ${pounds(s.thresholdPence)}.`
    }`,
  );
}

/** MG19-style: per report, what was taken, recovered and damaged, and who bore the loss. */
function compensationTable(doc: PDFKit.PDFDocument, s: CaseSummary): void {
  heading(doc, 'Compensation (MG19)');
  para(
    doc,
    'Loss = value taken (at the offered price) less value recovered in a saleable state, plus damage. The business that owns the store bore the loss.',
  );
  doc.moveDown(0.3);
  const total = { taken: 0, recovered: 0, damaged: 0, loss: 0 };
  for (const c of s.compensation) {
    ensureSpace(doc, 30);
    total.taken += c.takenPence;
    total.recovered += c.recoveredPence;
    total.damaged += c.damagedPence;
    total.loss += c.lossPence;
    labelled(
      doc,
      `${ukDate(c.occurredAt)}, ${c.storeName} (loss borne by ${c.loser})`,
      `taken ${pounds(c.takenPence)}, recovered ${pounds(c.recoveredPence)}, damaged ${pounds(c.damagedPence)}, loss ${pounds(c.lossPence)}`,
    );
  }
  labelled(
    doc,
    'Total',
    `taken ${pounds(total.taken)}, recovered ${pounds(total.recovered)}, damaged ${pounds(total.damaged)}, loss ${pounds(total.loss)}`,
  );
}

function theftRows(s: CaseSummary): (ScheduleRow & { valuePence: number; runningTotalPence: number })[] {
  return s.schedule.filter(
    (r): r is ScheduleRow & { valuePence: number; runningTotalPence: number } =>
      r.isTheft && r.valuePence !== null && r.runningTotalPence !== null,
  );
}

/** Each theft's value as a bar against the £200 line, with the cumulative total as a line. */
function valueChart(doc: PDFKit.PDFDocument, s: CaseSummary): void {
  const rows = theftRows(s);
  if (!rows.length) {
    return;
  }
  const height = 190;
  ensureSpace(doc, height + 70);
  heading(doc, 'Chart: value of each theft against the £200 line, and the cumulative total');
  const top = doc.y + 10;
  const left = MARGIN + 45;
  const width = contentWidth(doc) - 60;
  const bottom = top + height;
  const maxTotal = Math.max(
    s.thresholdPence * 1.25,
    rows[rows.length - 1].runningTotalPence,
    ...rows.map((r) => r.valuePence),
  );
  const yOf = (pence: number) => bottom - (pence / maxTotal) * height;
  // axes and scale
  doc
    .lineWidth(0.6)
    .strokeColor('black')
    .moveTo(left, top)
    .lineTo(left, bottom)
    .lineTo(left + width, bottom)
    .stroke();
  doc.font('Helvetica').fontSize(7).fillColor('black');
  for (let k = 0; k <= 4; k++) {
    const v = Math.round((maxTotal * k) / 4);
    doc.text(pounds(v), MARGIN - 5, yOf(v) - 3, { width: 48, align: 'right', lineBreak: false });
  }
  const slot = width / rows.length;
  const barWidth = Math.max(2, Math.min(30, slot * 0.6));
  rows.forEach((r, i) => {
    const x = left + slot * i + (slot - barWidth) / 2;
    doc
      .rect(x, yOf(r.valuePence), barWidth, bottom - yOf(r.valuePence))
      .fillColor(r.isTheft ? '#4a78b5' : '#aaaaaa')
      .fill();
    if (rows.length <= 25) {
      doc
        .fillColor('black')
        .text(String(i + 1), left + slot * i, bottom + 3, { width: slot, align: 'center', lineBreak: false });
    }
  });
  // cumulative total
  doc.lineWidth(1.2).strokeColor('#c0392b');
  rows.forEach((r, i) => {
    const x = left + slot * i + slot / 2;
    if (i === 0) {
      doc.moveTo(x, yOf(r.runningTotalPence));
    } else {
      doc.lineTo(x, yOf(r.runningTotalPence));
    }
  });
  doc.stroke();
  // the £200 line
  doc
    .lineWidth(1)
    .strokeColor('#222222')
    .dash(4, { space: 3 })
    .moveTo(left, yOf(s.thresholdPence))
    .lineTo(left + width, yOf(s.thresholdPence))
    .stroke()
    .undash();
  doc
    .fillColor('black')
    .fontSize(7)
    .text(`${pounds(s.thresholdPence)} line`, left + width - 60, yOf(s.thresholdPence) - 10, {
      width: 60,
      align: 'right',
      lineBreak: false,
    });
  doc.x = MARGIN;
  doc.y = bottom + 16;
  doc
    .fontSize(8)
    .text(
      pdfText(
        'Bars: value of each shop theft. Red line: cumulative total. Dashed line: the £200 low-value threshold.',
      ),
      MARGIN,
      undefined,
      { width: contentWidth(doc) },
    );
  doc.fontSize(10);
}
