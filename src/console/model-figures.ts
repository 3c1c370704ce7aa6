/** What the reports page shows of the offline classifier (from the live classifier's status; see src/ai/learning/live-classifier.ts). */
export interface ModelFigures {
  /** `seed` (the built-in categories) or the team's own (`desk`/imported history). */
  taxonomy: string;
  categories: number;
  /** Labelled examples it was trained on. */
  examples: number;
  trainedAt: string | null;
  /** Below this category confidence a ticket goes to triage; where the value comes from (`desk`, `held-out`, `seed`). */
  abstainBelow: number;
  abstainFrom: string;
  /** Measured on held-out history when the team's history was large enough to tune on. */
  heldOut?: { n: number; accuracy: number; macroF1: number; coverage: number; answeredPrecision: number; targetPrecision: number; balanced: boolean };
}
