/** Every queue, job name and job id the worker uses, in one place. */
export const QUEUES = {
  connectorRuns: 'connector-runs',
} as const;

export const JOBS = {
  connectorRun: 'connector-run',
} as const;

export type RunTrigger = 'schedule' | 'manual';

/** The typed payload of a connector-run job. */
export interface ConnectorRunJob {
  connectorId: string;
  trigger: RunTrigger;
}

/** One job scheduler per connector instance. */
export const schedulerId = (connectorId: string) => `connector__${connectorId}`;

/**
 * A manual run's job id: the connector and the second it was asked for, so a double submit while it is
 * queued or running is one run (a new request after it finished gets the millisecond appended).
 * Scheduled runs get BullMQ's deterministic `repeat:<scheduler>:<slot>` ids.
 */
export const manualRunJobId = (connectorId: string, at: number) => `manual__${connectorId}__${Math.floor(at / 1000)}`;
