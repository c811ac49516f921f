// A padlock drawn in SVG (no emoji font is assumed), as canvas/marks.ts draws it.
export function LockIcon() {
  return (
    <svg viewBox="0 0 12 14" width="11" height="13" aria-hidden="true" class="lock-icon">
      <path d="M3.2 6V4.2a2.8 2.8 0 0 1 5.6 0V6" fill="none" stroke="currentColor" stroke-width="1.6" />
      <rect x="1" y="6" width="10" height="7.5" rx="1.5" fill="currentColor" />
    </svg>
  );
}
