/**
 * Does a statement's job hint name a declared job? Airflow's OpenLineage integration names a task's job
 * `{dag_id}.{task_id}`; dbt's integration names a model's job after the model (`{project}.{model}`, or with the
 * database and schema before it, possibly followed by `.build.run`), while the query comment carries
 * `node_id` `{resource}.{project}.{model}`. BigQuery labels carry values in label form (lower case, `_` for
 * anything outside [a-z0-9_-]), so everything is compared in label form; Airflow's `airflow-task` label also turns a
 * task group's dots into dashes, so a job `{dag}.{group}.{task}` is indexed as `{dag}_{group}-{task}` too.
 */
import type { WriteHints } from './reconcile.types';

const labelForm = (value: string): string => value.toLowerCase().replace(/[^\p{Ll}\p{Lo}\p{N}_-]/gu, '_').slice(0, 63);
const DBT_SUFFIXES = ['.build.run', '.run', '.build', '.test'];
/** A two-part dbt node id in label form: its resource type, then the model. */
const DBT_RESOURCE = /^(?:model|snapshot|seed)_(.+)$/;

const stripDbtSuffix = (name: string): string => {
  for (const s of DBT_SUFFIXES) if (name.endsWith(s)) return name.slice(0, -s.length);
  return name;
};

/** Candidate spellings of a job name as a hint would carry it. */
const jobForms = (jobName: string): Set<string> => {
  const base = stripDbtSuffix(jobName);
  const parts = base.split('.');
  const forms = new Set<string>([labelForm(jobName), labelForm(base)]);
  // the last two segments ({project}.{model} or {dag}.{task}) and the model alone
  if (parts.length >= 2) forms.add(labelForm(parts.slice(-2).join('.')));
  // Airflow's BigQuery labels: a task in a task group (`{dag}.{group}.{task}`) is labelled `airflow-task`
  // `{group}-{task}` (Airflow turns the task id's dots into dashes; a dag id with a dot gets no labels at all)
  const [dag, ...task] = jobName.split('.');
  if (task.length >= 2) forms.add(labelForm(`${dag}.${task.join('-')}`));
  return forms;
};

/** The spellings a hint gives for the job that ran the statement, most specific first. */
const NO_FORMS: readonly { via: string; forms: string[] }[] = Object.freeze([]);

export const hintForms = (hints: WriteHints | undefined): readonly { via: string; forms: string[] }[] => {
  if (!hints) return NO_FORMS; // most statements carry no hint: no array each
  const out: { via: string; forms: string[] }[] = [];
  const dag = hints.airflowDag;
  const task = hints.airflowTask;
  if (dag && task) out.push({ via: 'hint:airflow', forms: [labelForm(`${dag}.${task}`)] });
  if (hints.dbtNode) {
    // model.shop.orders -> shop.orders; in label form the dots are already underscores: model_shop_orders
    const node = hints.dbtNode;
    const parts = node.split('.');
    const forms = [labelForm(node)];
    if (parts.length >= 3) forms.push(labelForm(parts.slice(1).join('.')));
    else {
      const m = DBT_RESOURCE.exec(labelForm(node));
      if (m) forms.push(m[1]);
    }
    out.push({ via: 'hint:dbt', forms });
  }
  if (hints.queryLabel) out.push({ via: 'hint:label', forms: [labelForm(hints.queryLabel)] });
  if (hints.queryTag && !hints.queryTag.trim().startsWith('{')) out.push({ via: 'hint:query-tag', forms: [labelForm(hints.queryTag)] });
  return out;
};

/** An index of job names by every form a hint could carry. */
export class JobHintIndex<J extends string> {
  private readonly byForm = new Map<string, J[]>();
  /** The jobs indexed. */
  readonly ids = new Set<J>();

  constructor(jobs: Iterable<{ id: J; name: string }>) {
    for (const job of jobs) {
      this.ids.add(job.id);
      for (const form of jobForms(job.name)) {
        const list = this.byForm.get(form) ?? [];
        if (!list.includes(job.id)) list.push(job.id);
        this.byForm.set(form, list);
      }
    }
  }

  /**
   * The one job the hints name (and how), or null when they name none or several: hintForms' spellings tried in
   * their order, each made only when the ones before it named no single job (no list of forms per statement: every
   * hinted write of every dataset evaluated asks).
   */
  match(hints: WriteHints | undefined): { job: J; via: string } | null {
    if (!hints) return null;
    let job: J | null;
    const dag = hints.airflowDag;
    const task = hints.airflowTask;
    if (dag && task && (job = this.one(labelForm(`${dag}.${task}`)))) return { job, via: 'hint:airflow' };
    const node = hints.dbtNode;
    if (node) {
      const form = labelForm(node);
      if ((job = this.one(form))) return { job, via: 'hint:dbt' };
      // hintForms' second dbt spelling: the node id less its resource type (three parts or more: after the first dot)
      const dot = node.indexOf('.');
      let second: string | undefined;
      if (dot >= 0 && node.indexOf('.', dot + 1) >= 0) second = labelForm(node.slice(dot + 1));
      else second = DBT_RESOURCE.exec(form)?.[1];
      if (second !== undefined && (job = this.one(second))) return { job, via: 'hint:dbt' };
    }
    if (hints.queryLabel && (job = this.one(labelForm(hints.queryLabel)))) return { job, via: 'hint:label' };
    if (hints.queryTag && !hints.queryTag.trim().startsWith('{') && (job = this.one(labelForm(hints.queryTag)))) return { job, via: 'hint:query-tag' };
    return null;
  }

  /** The job a form names when it names exactly one. */
  private one(form: string): J | null {
    const jobs = this.byForm.get(form);
    return jobs && jobs.length === 1 ? jobs[0] : null;
  }
}
