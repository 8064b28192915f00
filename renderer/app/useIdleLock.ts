/**
 * Idle auto-lock: after `minutes` without mouse, keyboard, wheel or touch input, call onIdle
 * (0 = never). Time comes from Date.now() and a setInterval, so a test can fake it with
 * Playwright's page.clock; nothing test-only is compiled in.
 */
import { useEffect, useRef } from 'react';

const EVENTS = ['pointerdown', 'pointermove', 'mousedown', 'mousemove', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;

export function useIdleLock(minutes: number | null, paused: boolean, onIdle: () => void): void {
  const cb = useRef(onIdle);
  cb.current = onIdle;
  useEffect(() => {
    if (minutes === null || minutes <= 0 || paused) return;
    const limit = minutes * 60_000;
    let last = Date.now();
    let fired = false;
    const bump = () => {
      last = Date.now();
    };
    for (const e of EVENTS) window.addEventListener(e, bump, { passive: true, capture: true });
    // check often enough to lock within a few seconds of the limit
    const timer = window.setInterval(() => {
      if (!fired && Date.now() - last >= limit) {
        fired = true;
        cb.current();
      }
    }, Math.min(5_000, Math.max(250, limit / 10)));
    return () => {
      window.clearInterval(timer);
      for (const e of EVENTS) window.removeEventListener(e, bump, { capture: true });
    };
  }, [minutes, paused]);
}
