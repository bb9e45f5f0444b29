// The partnership's quarterly report as a PDF (coordinators and admins): ask the worker to build
// it (POST /stats/reports), follow it until it is ready, then download it (logged as a disclosure).
import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api/client';
import type { components } from '../api/generated';
import { ApiForm, saveBlob } from '../ui/data';
import { Select } from '../ui/fields';

type Report = components['schemas']['ReportResponse'];

/** The last finished quarter: the one a report is usually wanted for. */
function lastQuarter(now = new Date()): { year: number; quarter: number } {
  const q = Math.floor(now.getMonth() / 3);
  return q === 0 ? { year: now.getFullYear() - 1, quarter: 4 } : { year: now.getFullYear(), quarter: q };
}

export function QuarterlyReport() {
  const initial = lastQuarter();
  const [year, setYear] = useState(String(initial.year));
  const [quarter, setQuarter] = useState(String(initial.quarter));
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pendingId = report && report.status !== 'ready' && report.status !== 'failed' ? report.id : null;

  // follow the build; a failed poll says so and tries again
  useEffect(() => {
    if (!pendingId) {
      return;
    }
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const poll = () => {
      timer = setTimeout(() => {
        api.get<Report>(`/stats/reports/${pendingId}`).then(
          (r) => {
            if (live) {
              setError(null);
              setReport(r);
              if (r.status !== 'ready' && r.status !== 'failed') {
                poll();
              }
            }
          },
          (err: unknown) => {
            if (live) {
              setError(`${describeError(err)} (trying again)`);
              poll();
            }
          },
        );
      }, 1000);
    };
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [pendingId]);

  const thisYear = new Date().getFullYear();
  const years = [thisYear, thisYear - 1, thisYear - 2].map((y) => [String(y), String(y)] as const);
  return (
    <section class="quarterly-report" aria-labelledby="qr-title">
      <h2 id="qr-title">Quarterly report (PDF)</h2>
      <ApiForm
        label="Prepare the quarterly report"
        submitText="Prepare the report"
        busyText="Asking…"
        submit={async () =>
          setReport(
            await api.post<Report>('/stats/reports', { year: Number(year), quarter: Number(quarter) }),
          )
        }
      >
        {() => (
          <div class="row">
            <Select id="qr-year" label="Year" value={year} options={years} onChange={setYear} />
            <Select
              id="qr-quarter"
              label="Quarter"
              value={quarter}
              options={[
                ['1', 'January to March'],
                ['2', 'April to June'],
                ['3', 'July to September'],
                ['4', 'October to December'],
              ]}
              onChange={setQuarter}
            />
          </div>
        )}
      </ApiForm>
      {error && <p class="field-error">{error}</p>}
      {report && (
        <p role="status" data-testid="quarterly-report" data-status={report.status}>
          {report.status === 'ready'
            ? `Q${report.quarter} ${report.year} is ready.`
            : report.status === 'failed'
              ? `Q${report.quarter} ${report.year} could not be built.`
              : `Building Q${report.quarter} ${report.year}…`}
        </p>
      )}
      {report?.status === 'ready' && (
        <ApiForm
          label="Download the quarterly report"
          submitText="Download the PDF"
          busyText="Downloading…"
          submit={async () => {
            const file = await api.download('GET', `/stats/reports/${report.id}/pdf`);
            saveBlob(file.blob, file.filename);
          }}
        >
          {() => <p class="hint">Each download is recorded in the access log.</p>}
        </ApiForm>
      )}
    </section>
  );
}
