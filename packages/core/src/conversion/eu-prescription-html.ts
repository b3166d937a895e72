/**
 * The pharmacy view of an EU ePrescription as a standalone HTML page in Norwegian bokmål.
 */
import type { PharmacyView, ViewTerm } from './eu-prescription-view.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  // Most values have nothing to escape: a test is a fifth of a replace with a callback.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c] ?? c) : text;
}

function termHtml(t: ViewTerm | undefined): string {
  if (!t) return '–';
  const code = t.code ? ` <span class="code">(${escapeHtml(t.code)})</span>` : '';
  return t.norwegian
    ? `${escapeHtml(t.norwegian)} <span class="original">– originalt: ${escapeHtml(t.original)}${code}</span>`
    : `${escapeHtml(t.original)}${code}`;
}

function row(label: string, valueHtml: string): string {
  return `<tr><th scope="row">${escapeHtml(label)}</th><td>${valueHtml}</td></tr>`;
}

/**
 * Renders the view as HTML (no scripts, no external resources).
 * @example res.type('html').send(pharmacyViewHtml(euPrescriptionView(bundle)))
 */
export function pharmacyViewHtml(v: PharmacyView): string {
  const text = (s: string | undefined) => escapeHtml(s ?? '–');
  const warnings = v.warnings.length
    ? `<ul class="warnings" role="alert">${v.warnings.map((w) => `<li data-code="${w.code}">${escapeHtml(w.message)}</li>`).join('')}</ul>`
    : '';
  const dosage = [...v.dosage.lines.map((l) => `<li>${escapeHtml(l)}</li>`), ...v.dosage.originalText.map((t) => `<li class="original">Originaltekst: ${escapeHtml(t)}</li>`)].join('');
  return `<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><title>EU-resept ${text(v.prescriptionId)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem}th{text-align:left;vertical-align:top;padding-right:1rem}
.warnings{background:#fff3cd;border:1px solid #c69500;padding:.5rem 1.5rem}.original,.code{color:#555;font-size:.9em}</style></head>
<body>
<h1>Resept fra ${text(v.country ?? 'annet EU/EØS-land')}</h1>
<p>Resepten konverteres ikke til en norsk e-resept. Den vises her til bruk ved utlevering.</p>
${warnings}
<table>
${row('Resept-ID', text(v.prescriptionId))}
${row('Status', text(v.status))}
${row('Utstedt', text(v.authoredOn))}
${row('Pasient', `${text(v.patient.name)}${v.patient.birthDate ? `, født ${text(v.patient.birthDate)}` : ''}${v.patient.gender ? `, ${text(v.patient.gender)}` : ''}${v.patient.identifier ? ` <span class="code">(${text(v.patient.identifier)})</span>` : ''}`)}
${row('Forskriver', `${text(v.prescriber.name)}${v.prescriber.organisation ? `, ${text(v.prescriber.organisation)}` : ''}${v.prescriber.country ? ` (${text(v.prescriber.country)})` : ''}`)}
${row('Legemiddel', `${text(v.product.name)}${v.product.code ? ` <span class="code">(${text(v.product.code.code ?? v.product.code.original)})</span>` : ''}`)}
${row('ATC', v.product.atc ? `${text(v.product.atc.code)} ${text(v.product.atc.original)}` : '–')}
${row('Legemiddelform', termHtml(v.product.form))}
${row('Styrke', text(v.product.strength))}
${row('Pakningsstørrelse', text(v.product.packageSize))}
${row('Dosering', dosage ? `<ul>${dosage}</ul>` : '–')}
${row('Administrasjonsvei', termHtml(v.dosage.route))}
${row('Mengde', text(v.quantity))}
${row('Reiterasjoner', String(v.repeats))}
${row('Gyldig', `${text(v.validity.from)} – ${text(v.validity.to)}`)}
${row('Bytte', text(v.substitution.text))}
${v.notes.length ? row('Merknader', v.notes.map(escapeHtml).join('<br>')) : ''}
</table>
</body>
</html>
`;
}
