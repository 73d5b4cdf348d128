/**
 * How a new chat gets an agent's attention: a short two-note tone, and the window's title
 * alternating with "(1) New chat" until the agent looks at the console.
 */

type AudioContextConstructor = typeof AudioContext;

let context: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (context) return context;
  // Older Safari names it webkitAudioContext; some embedded browsers have neither.
  const w = window as {
    AudioContext?: AudioContextConstructor;
    webkitAudioContext?: AudioContextConstructor;
  };
  const Constructor = w.AudioContext ?? w.webkitAudioContext;
  if (!Constructor) return null;
  try {
    context = new Constructor();
  } catch {
    return null;
  }
  return context;
}

/**
 * Browsers keep audio suspended until the page has had a click or a key press; the console calls
 * this on the agent's first one, so that a chat arriving later can ring.
 */
export function unlockAudio() {
  const audio = audioContext();
  if (audio && audio.state === 'suspended') audio.resume().catch(() => undefined);
}

// A resume the browser holds back until the next gesture must not ring long after the chat came.
const STALE_TONE_MS = 2000;

function tone(audio: AudioContext) {
  const start = audio.currentTime + 0.01;
  const notes: [frequency: number, offset: number][] = [
    [880, 0],
    [660, 0.18],
  ];
  for (const [frequency, offset] of notes) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    // A quick fade in and out: a hard start or stop clicks.
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.16);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.17);
  }
}

export function playRingTone() {
  try {
    const audio = audioContext();
    if (!audio) return;
    if (audio.state === 'running') {
      tone(audio);
      return;
    }
    const asked = Date.now();
    audio
      .resume()
      .then(() => {
        if (audio.state === 'running' && Date.now() - asked < STALE_TONE_MS) tone(audio);
      })
      .catch(() => undefined);
  } catch {
    // No sound is better than a broken console: the title and the badge still tell.
  }
}

let flashTimer: ReturnType<typeof setInterval> | undefined;
let baseTitle = '';
let flashText = '';

/** Alternates the window's title with `text` every second until stopTitleFlash(). */
export function flashTitle(text: string) {
  if (flashTimer === undefined) baseTitle = document.title;
  flashText = text;
  document.title = text;
  flashTimer ??= setInterval(() => {
    // A page that set its own title meanwhile owns it now: that is the one to come back to.
    if (document.title !== flashText && document.title !== baseTitle) baseTitle = document.title;
    document.title = document.title === flashText ? baseTitle : flashText;
  }, 1000);
}

export function stopTitleFlash() {
  if (flashTimer === undefined) return;
  clearInterval(flashTimer);
  flashTimer = undefined;
  if (document.title === flashText) document.title = baseTitle;
}
