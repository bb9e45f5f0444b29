import {
  contentWidth,
  ensureSpace,
  heading,
  labelled,
  MARGIN,
  newDocument,
  para,
  pdfText,
  ukDate,
  ukTime,
} from '@app/evidence';
import { AppealOutcome, AppealStatus } from '../entities/exclusion-notice.entity';
import { type SubjectDescription, SubjectKind } from '../entities/subject.entity';
import { describedAs, keyWords } from './words';

/** Everything the served copy of an exclusion notice says (dates as ISO strings). */
export interface ExclusionLetter {
  noticeId: string;
  partnershipName: string;
  /** who to contact for a review or appeal (offender settings); null: the partnership is named */
  appealContact: string | null;
  subject: {
    kind: SubjectKind;
    reference: string;
    name: string | null;
    description: Partial<SubjectDescription> | null;
  };
  /** the stores the notice covers */
  premises: { name: string; site: string; postcode: string }[];
  /** the area it covers, if any */
  area: string | null;
  reason: string;
  servedAt: string;
  expiresAt: string;
  servedByName: string;
  serviceMethod: string;
  acknowledgement: string | null;
  appealStatus: AppealStatus;
  appealOutcome: AppealOutcome | null;
  appealDecidedAt: string | null;
}

const SERVICE_METHOD: Record<string, string> = {
  in_person: 'handed to you in person',
  post: 'sent to you by post',
  email: 'sent to you by email',
  other: 'served by another method',
};

const ACKNOWLEDGEMENT: Record<string, string> = {
  acknowledged: 'you acknowledged receipt of this notice',
  refused: 'you declined to acknowledge receipt (the notice applies all the same)',
};

/** What the notice's appeal and term mean at `now`, in words; null while it simply applies. */
function standing(l: ExclusionLetter, now: Date): string | null {
  if (l.appealOutcome === AppealOutcome.Overturned) {
    return `This notice was overturned on appeal on ${ukDate(l.appealDecidedAt)} and no longer applies. This copy is a record only.`;
  }
  if (new Date(l.expiresAt) <= now) {
    return `This notice expired on ${ukTime(l.expiresAt)} and no longer applies. This copy is a record only.`;
  }
  return null;
}

function appealWords(l: ExclusionLetter): string | null {
  if (l.appealStatus === AppealStatus.Lodged) {
    return 'Your appeal against this notice has been received and is awaiting a decision. The notice applies until the appeal is decided.';
  }
  if (l.appealStatus === AppealStatus.Decided) {
    const outcome =
      l.appealOutcome === AppealOutcome.Upheld
        ? 'the notice stands'
        : l.appealOutcome === AppealOutcome.Varied
          ? 'the notice was varied'
          : 'the notice was overturned';
    return `Your appeal was decided on ${ukDate(l.appealDecidedAt)}: ${outcome}.`;
  }
  return null;
}

/** A label and a line to write on, the full content width. */
function writeOnLine(doc: PDFKit.PDFDocument, label: string, width = contentWidth(doc)): void {
  ensureSpace(doc, 34);
  doc.moveDown(1.2);
  const y = doc.y;
  doc.font('Helvetica').fontSize(10).text(pdfText(label), MARGIN, y, { lineBreak: false });
  const from = MARGIN + doc.widthOfString(pdfText(label)) + 6;
  doc
    .moveTo(from, y + 10)
    .lineTo(MARGIN + width, y + 10)
    .lineWidth(0.5)
    .strokeColor('#000000')
    .stroke();
  doc.x = MARGIN;
  doc.y = y + 14;
}

/**
 * The served copy of an exclusion notice: an A4 letter addressed to the person, saying which
 * premises, why, for how long, that it is the occupiers' civil right (not a court order), what
 * happens on a return, how to ask for a review or appeal, their data rights, how and when it was
 * served, and a space to acknowledge receipt (brief 4.5, 7.7, 7.8). Returns the document ended.
 */
export function exclusionLetterPdf(
  l: ExclusionLetter,
  generatedAt: string,
  generator: string,
): PDFKit.PDFDocument {
  const now = new Date(generatedAt);
  const doc = newDocument(
    `Exclusion notice ${l.subject.reference}`,
    generatedAt,
    generator,
    (page, pages) =>
      `Exclusion notice - ${l.partnershipName} - reference ${l.subject.reference} - page ${page} of ${pages}`,
  );
  const known = l.subject.kind === SubjectKind.Known && !!l.subject.name;

  doc.font('Helvetica-Bold').fontSize(12).text(pdfText(l.partnershipName), MARGIN);
  doc.font('Helvetica').fontSize(9).text('Business Crime Reduction Partnership');
  doc.moveDown(0.8);
  doc.font('Helvetica-Bold').fontSize(18).text('EXCLUSION NOTICE', MARGIN, undefined, { align: 'center' });
  doc
    .font('Helvetica')
    .fontSize(9)
    .text('Served copy for the person excluded: please keep this letter.', { align: 'center' });
  doc.moveDown(0.8).fontSize(10);
  if (known) {
    labelled(doc, 'To', l.subject.name!);
  } else {
    labelled(doc, 'To', 'the person this notice was served on (name not known to us)');
    const seen = describedAs(l.subject.description, false);
    if (seen.length) {
      labelled(doc, 'Described as', seen.map(([k, v]) => `${k.toLowerCase()}: ${v}`).join('; '));
    }
  }
  labelled(doc, 'Your reference', l.subject.reference);
  labelled(doc, 'Date of this copy', ukDate(generatedAt));
  const stands = standing(l, now);
  if (stands) {
    doc.moveDown(0.5);
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .text(pdfText(stands), MARGIN, undefined, { width: contentWidth(doc) });
  }

  heading(doc, '1. What this notice means');
  para(
    doc,
    `You are excluded from the premises listed in section 2 from ${ukTime(l.servedAt)} until ${ukTime(l.expiresAt)}. Please do not enter them during that time.`,
  );
  doc.moveDown(0.3);
  para(
    doc,
    `This is a civil exclusion. Each business listed, as the occupier of its premises, has the right to refuse you entry and to ask you to leave, and has agreed with ${l.partnershipName} to use that right. It is not a court order and it is not a criminal conviction. The decision was made by the partnership; the police take no part in exclusion decisions.`,
  );

  heading(doc, '2. Premises you are excluded from');
  for (const s of l.premises) {
    para(doc, `- ${[s.name, s.site, s.postcode].filter(Boolean).join(', ')}`);
  }
  if (l.area) {
    para(doc, `- Every member premises of ${l.partnershipName} in this area: ${l.area}`);
  }

  heading(doc, '3. Why you have been excluded');
  para(doc, l.reason);

  heading(doc, '4. How long it lasts');
  labelled(doc, 'From', ukTime(l.servedAt));
  labelled(doc, 'Until (expiry)', ukTime(l.expiresAt));
  para(
    doc,
    'The notice ends by itself at that time: you do not need to do anything. It ends sooner if it is overturned on appeal.',
  );

  heading(doc, '5. If you return while this notice applies');
  for (const line of [
    'You will be asked to leave. If you refuse to leave, you are a trespasser, and staff may call the police.',
    `Your visit may be recorded and shared with the members of ${l.partnershipName}.`,
    'If you commit an offence at these premises while excluded, the police and the court may be told about this notice: when sentencing theft from a shop, a court treats a ban from the store as making the offence more serious.',
  ]) {
    para(doc, `- ${line}`);
  }

  heading(doc, '6. How to ask for a review or appeal');
  para(
    doc,
    `You may ask ${l.partnershipName} to review this notice, or appeal against it, at any time while it applies. Say why you think it is wrong or too long, and quote your reference ${l.subject.reference} and the date it was served (${ukDate(l.servedAt)}).`,
  );
  doc.moveDown(0.3);
  if (l.appealContact) {
    labelled(doc, 'Contact', l.appealContact);
  } else {
    labelled(doc, 'Contact', `${l.partnershipName}, the partnership that issued this notice`);
  }
  doc.moveDown(0.3);
  para(
    doc,
    "The partnership's board decides appeals and will tell you the outcome. The notice continues to apply while your appeal is considered.",
  );
  const appeal = appealWords(l);
  if (appeal) {
    doc.moveDown(0.3);
    para(doc, appeal);
  }

  heading(doc, '7. Your personal information');
  para(
    doc,
    `${l.partnershipName} is the data controller for the information it holds about you, including this notice and the reports it rests on. You may ask for a copy of that information (a subject access request), which must be answered within one month, and ask for anything inaccurate to be corrected. If you are unhappy with how your information is handled, you may complain to the Information Commissioner's Office (ico.org.uk).`,
  );

  heading(doc, '8. Service of this notice');
  labelled(doc, 'Served on', ukTime(l.servedAt));
  labelled(doc, 'Served by', l.servedByName);
  labelled(doc, 'How', SERVICE_METHOD[l.serviceMethod] ?? keyWords(l.serviceMethod));
  labelled(
    doc,
    'Acknowledgement',
    l.acknowledgement
      ? (ACKNOWLEDGEMENT[l.acknowledgement] ?? keyWords(l.acknowledgement))
      : 'not recorded when the notice was entered',
  );

  ensureSpace(doc, 190);
  heading(doc, '9. Acknowledgement of receipt');
  para(
    doc,
    'I have received a copy of this notice. (Signing shows only that you received it, not that you agree with it.)',
  );
  writeOnLine(doc, 'Signature of the person excluded:');
  writeOnLine(doc, 'Name (capitals):');
  writeOnLine(doc, 'Date and time:');
  writeOnLine(doc, 'Signature of the person serving the notice:');
  writeOnLine(doc, 'Declined to sign (serving person to initial):');

  doc.moveDown(1).fontSize(7.5).fillColor('#444444');
  para(doc, `Notice number ${l.noticeId}.`);
  doc.fillColor('black');
  doc.end();
  return doc;
}
