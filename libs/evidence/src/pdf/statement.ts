import type { ImpactDoc, StatementDoc } from '../plan';
import { heading, labelled, MARGIN, newDocument, para, pdfText, ukTime } from './common';

/** An MG11 as a PDF: heading, s.9 declaration, signature and time, the statement, signature again. */
export function statementPdf(st: StatementDoc, generatedAt: string, generator: string): PDFKit.PDFDocument {
  const doc = newDocument(
    `Witness statement of ${st.witnessName}`,
    generatedAt,
    generator,
    (page, pages) =>
      `Signature: ${st.signatureName}   Signed ${ukTime(st.signedAt)}   Page ${page} of ${pages}`,
  );
  doc.font('Helvetica-Bold').fontSize(15).text('WITNESS STATEMENT', MARGIN, undefined, { align: 'center' });
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .text(
      pdfText(
        "Criminal Justice Act 1967, s.9; Magistrates' Courts Act 1980, s.5A(3)(a) and 5B; Criminal Procedure Rules, r.16.2",
      ),
      { align: 'center' },
    );
  doc.moveDown(0.8).fontSize(10);
  labelled(doc, 'Statement of', st.witnessName);
  labelled(
    doc,
    'Age if under 18',
    st.witnessAgeIfUnder18 === null ? 'Over 18' : String(st.witnessAgeIfUnder18),
  );
  labelled(doc, 'Occupation', st.witnessOccupation ?? 'not given');
  labelled(doc, 'Crime reference', st.crimeReference ?? 'not yet given');
  labelled(
    doc,
    'Version',
    st.supersedesId ? `${st.version} (corrects version ${st.version - 1})` : String(st.version),
  );
  heading(doc, 'Declaration', 11);
  para(doc, st.declarationText);
  if (st.readOverBy) {
    para(
      doc,
      `This statement was read to the witness by ${st.readOverBy}, who declares that it was read over and the witness agreed it.`,
    );
  }
  labelled(doc, 'Signature', st.signatureName);
  labelled(doc, 'Signed at', ukTime(st.signedAt));
  heading(doc, 'Statement', 11);
  para(doc, st.statementText, { align: 'left' });
  doc.moveDown(1);
  labelled(doc, 'Signature', st.signatureName);
  labelled(doc, 'Signed at', ukTime(st.signedAt));
  heading(doc, 'Exhibits produced by the witness', 11);
  para(doc, "From the hub's evidence records for this report; not part of the signed text.");
  if (!st.exhibitsProduced.length) {
    para(doc, 'None recorded.');
  }
  for (const e of st.exhibitsProduced) {
    para(doc, `- ${e.reference} (${e.packPath}, ${e.mediaType}, captured ${ukTime(e.capturedAt)})`);
  }
  doc.moveDown(0.5).fontSize(7.5).fillColor('#444444');
  para(
    doc,
    `Pages as signed by the witness: ${st.pageCount}. Content SHA-256 recorded at signature: ${st.contentSha256}. Statement id ${st.statementId}.`,
  );
  doc.fillColor('black');
  doc.end();
  return doc;
}

const IMPACT_TITLES = {
  isb: 'IMPACT STATEMENT FOR BUSINESS',
  vps: 'VICTIM PERSONAL STATEMENT',
} as const;

/** An ISB or VPS as given by the store (no view on sentence; a supplement never amends it). */
export function impactPdf(d: ImpactDoc, generatedAt: string, generator: string): PDFKit.PDFDocument {
  const doc = newDocument(
    IMPACT_TITLES[d.kind],
    generatedAt,
    generator,
    (page, pages) => `${IMPACT_TITLES[d.kind]} - made by ${d.madeBy} - page ${page} of ${pages}`,
  );
  doc.font('Helvetica-Bold').fontSize(15).text(IMPACT_TITLES[d.kind], MARGIN, undefined, { align: 'center' });
  doc.moveDown(0.8).fontSize(10);
  labelled(doc, 'Made by', d.madeBy);
  labelled(doc, 'Made at', ukTime(d.madeAt));
  labelled(doc, 'Given', d.given);
  heading(doc, d.kind === 'isb' ? 'Impact on the business' : 'Impact on me', 11);
  para(doc, d.text);
  doc.moveDown(0.5).fontSize(8);
  para(
    doc,
    pdfText(
      'This statement gives no view on sentence. It is disclosed to the defence; its maker may be cross-examined.',
    ),
  );
  doc.end();
  return doc;
}
