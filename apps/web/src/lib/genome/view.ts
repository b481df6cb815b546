/** The stretch of one contig the track shows: 1-based, inclusive. */
export interface GenomeWindow {
  from: number;
  to: number;
}

/** The fewest bases the track zooms to: about a screen of single bases, each still a few pixels wide. */
export const MIN_SPAN = 20;

/** How much one zoom step narrows (or widens) the window. */
export const ZOOM_STEP = 2;

/** How far one pan step moves, as a share of the window. */
export const PAN_STEP = 0.25;

/** What a key, a button or a gesture asks of the track. */
export type TrackAction = 'zoom-in' | 'zoom-out' | 'pan-left' | 'pan-right' | 'reset';

/** Bases in a window. */
export function spanOf(window: GenomeWindow): number {
  return window.to - window.from + 1;
}

/** The whole contig. */
export function fullWindow(length: number): GenomeWindow {
  return { from: 1, to: Math.max(1, length) };
}

/** A window of `span` bases starting at `from`, moved and cut to fit the contig (never under {@link MIN_SPAN}). */
export function clampWindow(from: number, span: number, length: number): GenomeWindow {
  const size = Math.min(Math.max(Math.round(span), Math.min(MIN_SPAN, length)), length);
  const start = Math.min(Math.max(1, Math.round(from)), length - size + 1);
  return { from: start, to: start + size - 1 };
}

/**
 * Zooms by `factor` (above 1 narrows the window) keeping the base at `anchor` where it is on
 * screen; without an anchor the window's centre holds.
 */
export function zoomWindow(window: GenomeWindow, length: number, factor: number, anchor?: number): GenomeWindow {
  const span = spanOf(window);
  const next = Math.round(span / factor);
  const at = anchor ?? window.from + (span - 1) / 2;
  const share = (at - window.from) / span;
  return clampWindow(at - share * next, next, length);
}

/** Moves the window by `bases` (negative: towards the start), stopping at the contig's ends. */
export function panWindow(window: GenomeWindow, length: number, bases: number): GenomeWindow {
  return clampWindow(window.from + Math.round(bases), spanOf(window), length);
}

/** A window of `span` bases with `position` in its middle. */
export function centreOn(position: number, span: number, length: number): GenomeWindow {
  return clampWindow(position - Math.floor(span / 2), span, length);
}

/** The action a key press asks for: + / - zoom, ← / → pan, Home shows the whole contig. */
export function actionForKey(key: string): TrackAction | undefined {
  switch (key) {
    case '+':
    case '=':
      return 'zoom-in';
    case '-':
    case '_':
      return 'zoom-out';
    case 'ArrowLeft':
      return 'pan-left';
    case 'ArrowRight':
      return 'pan-right';
    case 'Home':
      return 'reset';
    default:
      return undefined;
  }
}

/** The window after `action`. */
export function applyAction(window: GenomeWindow, length: number, action: TrackAction): GenomeWindow {
  switch (action) {
    case 'zoom-in':
      return zoomWindow(window, length, ZOOM_STEP);
    case 'zoom-out':
      return zoomWindow(window, length, 1 / ZOOM_STEP);
    case 'pan-left':
      return panWindow(window, length, -spanOf(window) * PAN_STEP);
    case 'pan-right':
      return panWindow(window, length, spanOf(window) * PAN_STEP);
    case 'reset':
      return fullWindow(length);
  }
}
