import { useEffect, useRef } from 'preact/hooks';

/**
 * Put inside what an address opened (a case, a report, a subject): brings it on screen when it opens,
 * so on a phone, where it sits below a long list, the tap visibly opens it.
 */
export function ScrollIntoView() {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    ref.current?.parentElement?.scrollIntoView({ block: 'start' });
  }, []);
  return <span ref={ref} hidden />;
}
