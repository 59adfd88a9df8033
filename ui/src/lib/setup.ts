// The first-run setup's walk through its steps. Rust says which steps are open (what each keeps is kept
// or not: crates/app/src/settings.rs); the window shows one step at a time, lets the person put a step
// off, and asks to sign in only once an ADC is in use.
import type { SetupStep } from "./api";

export const SETUP_STEPS: readonly SetupStep[] = ["language", "adc", "sign_in"];

/** What the setup shows: one step, or the summary before the main window. */
export type SetupPage = SetupStep | "done";

/** How the setup's stepper marks a step. */
export type StepMark = "done" | "current" | "later" | "todo";

/** The step that must be done first: signing in is to the ADC in use. */
const NEEDS: Partial<Record<SetupStep, SetupStep>> = { sign_in: "adc" };

/** The open step this one must wait for, if any. */
export function waitsFor(step: SetupStep, open: readonly SetupStep[]): SetupStep | null {
  const needed = NEEDS[step];
  return needed && open.includes(needed) ? needed : null;
}

/** The first open step, in order, that the person has not put off and can do now; "done" when none is left. */
export function nextPage(open: readonly SetupStep[], putOff: readonly SetupStep[]): SetupPage {
  return SETUP_STEPS.find((step) => open.includes(step) && !putOff.includes(step) && !waitsFor(step, open)) ?? "done";
}

/** A step is "later" when it, or the step it needs, was put off. */
export function stepMark(step: SetupStep, page: SetupPage, open: readonly SetupStep[], putOff: readonly SetupStep[]): StepMark {
  if (step === page) return "current";
  if (!open.includes(step)) return "done";
  const needed = waitsFor(step, open);
  return putOff.includes(step) || (needed !== null && putOff.includes(needed)) ? "later" : "todo";
}
