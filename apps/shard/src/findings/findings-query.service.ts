/** Reads and admin writes of findings, freshness, policies and coverage; parameters validated here (the edge). */
import { Inject, Injectable } from '@nestjs/common';
import { notFound, parseFindingQuery, parseFreshnessQuery, type FindingPage, type FreshnessPolicyDocument, type FreshnessState } from '@lineage-hub/model';
import { parseCoverageRecords, validatePolicyDocument } from '@lineage-hub/reconcile';
import type { LineageStore } from '@lineage-hub/store';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';

@Injectable()
export class FindingsQueryService {
  constructor(@Inject(LINEAGE_STORE) private readonly store: LineageStore) {}

  list(query: Record<string, unknown>): Promise<FindingPage> {
    return this.store.findings.listFindings(parseFindingQuery(query));
  }

  async get(id: string) {
    const finding = await this.store.findings.getFinding(id);
    if (!finding) throw notFound(`finding ${id}`);
    return finding;
  }

  async freshness(query: Record<string, unknown>): Promise<FreshnessState> {
    const dataset = parseFreshnessQuery(query);
    const state = await this.store.findings.getFreshness(dataset);
    if (!state) throw notFound(`freshness of ${dataset} (not evaluated yet, or no history)`);
    return state;
  }

  async policies(): Promise<FreshnessPolicyDocument> {
    return (await this.store.findings.getPolicies()) ?? { policies: [] };
  }

  /** Replaces the policy document; a bad document is refused whole, naming the field. */
  async putPolicies(body: unknown): Promise<FreshnessPolicyDocument> {
    const doc = validatePolicyDocument(body);
    await this.store.findings.putPolicies(doc, Date.now());
    return doc;
  }

  recordCoverage(body: unknown) {
    return this.store.findings.recordCoverage(parseCoverageRecords(body, Date.now()));
  }
}
