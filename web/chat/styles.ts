/**
 * The chat button's whole stylesheet, placed inside its shadow root. `:host { all: initial }` (important,
 * which inside a shadow root outranks the page's own important rules) stops the page's inherited styles
 * at the door; the page's selectors cannot reach inside at all.
 */
export const CSS = `
:host{all:initial!important}
.root{--c:#0b5cad;--c2:#084a8c;--ink:#1b1f24;--mute:#5b6470;--line:#d0d5dc;--bg:#f6f7f9;
font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
-webkit-font-smoothing:antialiased;text-align:left;direction:ltr}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
button,input,select,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer}
button:disabled{cursor:default;opacity:.6}
:focus-visible{outline:2px solid var(--c);outline-offset:2px}
svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;flex:none}
.sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border:0;border-radius:50%;
background:var(--c);color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center;padding:0}
.launcher:hover{background:var(--c2)}
.launcher svg{width:26px;height:26px}
.left .launcher,.left .panel{right:auto;left:20px}
.dot{position:absolute;top:4px;right:4px;width:12px;height:12px;border-radius:50%;background:#2fb344;border:2px solid #fff}
.badge{position:absolute;top:-4px;left:-4px;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#c62828;
color:#fff;font-size:12px;font-weight:700;line-height:20px;text-align:center}
.panel{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:min(380px,calc(100vw - 24px));
height:min(600px,calc(100vh - 108px));display:flex;flex-direction:column;background:#fff;border:1px solid var(--line);
border-radius:12px;box-shadow:0 12px 40px rgba(0,0,0,.3);overflow:hidden}
@media (max-width:480px){.panel,.left .panel{left:0;right:0;bottom:0;top:0;width:auto;height:auto;border-radius:0;border:0}}
.head{display:flex;align-items:center;gap:8px;padding:10px 8px 10px 16px;background:#132a45;color:#fff;flex:none}
h2{font-size:16px;font-weight:700;margin:0;flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.hbtn{border:0;background:transparent;color:#fff;border-radius:6px;padding:6px 8px;display:inline-flex;align-items:center}
.hbtn:hover{background:rgba(255,255,255,.15)}
.banner{background:#fff3cd;color:#6b4e00;padding:6px 16px;font-size:13px;flex:none}
.body{flex:1;min-height:0;display:flex;flex-direction:column}
form{padding:16px;overflow:auto;display:flex;flex-direction:column;gap:12px}
p{margin:0}
label{display:flex;flex-direction:column;gap:4px;font-size:13px;font-weight:600;color:var(--ink)}
input,select,textarea{font-weight:400;font-size:15px;border:1px solid var(--line);border-radius:8px;padding:8px 10px;
background:#fff;width:100%}
textarea{resize:none}
.muted{color:var(--mute);font-size:13px}
.primary{border:0;border-radius:8px;background:var(--c);color:#fff;padding:10px 14px;font-weight:600}
.primary:hover:not(:disabled){background:var(--c2)}
.secondary{border:1px solid var(--line);border-radius:8px;background:#fff;padding:8px 12px;font-weight:600;color:var(--ink)}
.alert{color:#a3271c;font-size:13px}
.sugg ul{margin:4px 0 0;padding:0 0 0 18px}
.sugg a{color:var(--c)}
.notice{padding:10px 16px;background:var(--bg);border-bottom:1px solid var(--line);font-size:13px;display:flex;
flex-direction:column;gap:6px;align-items:flex-start;flex:none}
.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#fff}
.msg{max-width:82%;display:flex;flex-direction:column;gap:2px}
.msg .b{padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.visitor{align-self:flex-end;align-items:flex-end}
.visitor .b{background:var(--c);color:#fff;border-bottom-right-radius:4px}
.agent{align-self:flex-start}
.agent .b{background:#eceff3;border-bottom-left-radius:4px}
.system{align-self:center;max-width:90%;text-align:center;color:var(--mute);font-size:12px}
.who,.meta{font-size:11px;color:var(--mute);padding:0 4px}
.meta .failed{color:#a3271c}
.linkbtn{border:0;background:none;padding:0 2px;color:var(--c);text-decoration:underline;font-size:11px}
.file{display:inline-flex;align-items:center;gap:6px;border:1px solid var(--line);border-radius:10px;background:#fff;
color:var(--ink);padding:6px 10px;font-size:13px;max-width:100%}
.file span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.file svg{width:16px;height:16px}
.typing{font-size:12px;color:var(--mute);padding:0 16px 4px;min-height:18px;flex:none}
.confirm{padding:12px 16px;border-top:1px solid var(--line);display:flex;flex-direction:column;gap:8px;background:var(--bg);flex:none}
.confirm label{flex-direction:row;align-items:center;gap:8px;font-weight:400}
.confirm input{width:auto}
.row{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.composer{border-top:1px solid var(--line);padding:8px;display:flex;gap:6px;align-items:flex-end;flex:none}
.composer textarea{flex:1;min-height:40px;max-height:120px;border-radius:18px}
.ibtn{border:0;background:transparent;color:var(--mute);border-radius:50%;width:40px;height:40px;display:grid;place-items:center;padding:0;flex:none}
.ibtn:hover:not(:disabled){background:var(--bg);color:var(--c)}
.status{font-size:12px;color:var(--mute);padding:0 16px 6px;flex:none}
.status:empty,.alert:empty,.sugg:empty{display:none}
.count{font-size:12px;color:var(--mute);text-align:right;padding:0 16px 6px;flex:none}
.count.over{color:#a3271c}
.end{padding:16px;border-top:1px solid var(--line);display:flex;flex-direction:column;gap:10px;align-items:flex-start;flex:none}
.hp{position:absolute!important;left:-10000px;width:1px;height:1px;overflow:hidden}
@media (prefers-reduced-motion:no-preference){.panel{animation:rise .15s ease-out}}
@keyframes rise{from{opacity:0;transform:translateY(8px)}}
`;
