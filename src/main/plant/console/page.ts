/** The console's page: plain HTML and one script (no inline script, so the CSP stays 'self'); every text in Chinese. */
export const CONSOLE_HTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>工厂管理控制台</title>
<style>
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222}
nav button,form button{margin-right:8px;padding:6px 14px;border:1px solid #1677ff;background:#1677ff;color:#fff;border-radius:4px;cursor:pointer}
nav button.off{background:#fff;color:#1677ff}
table{border-collapse:collapse;margin-top:12px}td,th{border-bottom:1px solid #eee;padding:4px 10px;text-align:left}
input{padding:5px;margin-right:8px}.error{color:#c00}.hidden{display:none}
</style></head>
<body>
<h1>工厂管理控制台</h1>
<form id="login"><input name="username" placeholder="用户名" autocomplete="username"><input name="password" type="password" placeholder="密码" autocomplete="current-password"><button>登录</button><span class="error" id="login-error"></span></form>
<div id="main" class="hidden">
<p id="who"></p>
<nav><button data-view="journal">通行记录</button><button data-view="presence" class="off">厂内在场车辆</button><button data-view="visits" class="off">来访记录</button><button data-view="statistics" class="off">统计</button><button data-view="booths" class="off">岗亭管理</button></nav>
<form id="filter"><input name="plate" placeholder="车牌（任意部分）"><input name="gate" placeholder="门岗编号"><input name="day" placeholder="日期 yyyy-MM-dd"><button>查询</button></form>
<form id="booths" class="hidden"><input name="gateCode" placeholder="门岗编号 01–99"><button data-action="code">生成注册码</button><input name="boothId" placeholder="岗亭编号"><button data-action="revoke">吊销岗亭</button></form>
<p class="error" id="error"></p><p id="result"></p>
<table><thead id="head"></thead><tbody id="rows"></tbody></table>
</div>
<script src="/console/app.js"></script>
</body></html>`

export const CONSOLE_SCRIPT = `
const $ = (id) => document.getElementById(id)
const beijing = (ms) => ms == null ? '' : new Date(ms + 8 * 3600000).toISOString().slice(0, 19).replace('T', ' ')
const minutes = (ms) => ms == null ? '在场' : Math.round(ms / 60000) + ' 分钟'
const DIRECTION = { in: '入场', out: '出场' }
const UPLOAD = { pending: '待上传', done: '已上传', dead: '上传失败' }
const VIEWS = {
  journal: { heads: ['时间', '门岗', '车道', '方向', '车牌', '结果', '上传'], row: (r) => [beijing(r.recognizedAt), r.gateCode, r.laneId, DIRECTION[r.direction], r.plate, r.reasonText, UPLOAD[r.upload] || r.upload] },
  presence: { heads: ['车牌', '入场门岗', '入场时间'], row: (r) => [r.plate, r.gateCode, beijing(r.enteredAt)] },
  visits: { heads: ['车牌', '入场门岗', '入场时间', '出场门岗', '出场时间', '停留'], row: (r) => [r.plate, r.entryGate, beijing(r.entryAt), r.exitGate || '', beijing(r.exitAt), minutes(r.dwellMs)] },
  statistics: { heads: ['门岗', '通行', '入场', '出场', '违规', '管控劝返'], row: (r) => [r.laneId || '全厂', r.vehTotal, r.enterVehTotal, r.exitVehTotal, r.violationTotal, r.controlTotal] }
}
let view = 'journal'
async function call(method, path, body) {
  const response = await fetch('/console/api/' + path, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined })
  const data = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(data.error || '请求失败')
  return data
}
function table(heads, rows) {
  $('head').replaceChildren(el('tr', heads.map((h) => el('th', [h]))))
  $('rows').replaceChildren(...rows.map((cells) => el('tr', cells.map((c) => el('td', [String(c ?? '')])))))
}
function el(tag, children) { const e = document.createElement(tag); e.append(...children); return e }
async function show() {
  $('error').textContent = ''
  $('booths').classList.toggle('hidden', view !== 'booths')
  $('filter').classList.toggle('hidden', view === 'booths' || view === 'presence')
  if (view === 'booths') return table([], [])
  const f = new FormData($('filter'))
  const day = f.get('day') || beijing(Date.now()).slice(0, 10)
  try {
    if (view === 'journal') return table(VIEWS.journal.heads, (await call('GET', 'journal?plate=' + encodeURIComponent(f.get('plate')) + '&gate=' + encodeURIComponent(f.get('gate')))).map(VIEWS.journal.row))
    if (view === 'presence') return table(VIEWS.presence.heads, (await call('GET', 'presence')).map(VIEWS.presence.row))
    if (view === 'visits') return table(VIEWS.visits.heads, (await call('GET', 'visits?day=' + day)).map(VIEWS.visits.row))
    const s = await call('GET', 'statistics?day=' + day)
    table(VIEWS.statistics.heads, [...s.gates, ...s.plant.map((r) => ({ ...r, laneId: '' }))].map(VIEWS.statistics.row))
  } catch (error) { $('error').textContent = error.message }
}
$('login').addEventListener('submit', async (event) => {
  event.preventDefault()
  const f = new FormData($('login'))
  try {
    const { actor } = await call('POST', 'login', { username: f.get('username'), password: f.get('password') })
    $('login').classList.add('hidden'); $('main').classList.remove('hidden')
    $('who').textContent = '当前用户：' + actor.name + '（' + (actor.role === 'admin' ? '管理员' : '门卫') + '）'
    show()
  } catch (error) { $('login-error').textContent = error.message }
})
document.querySelectorAll('nav button').forEach((b) => b.addEventListener('click', () => {
  view = b.dataset.view
  document.querySelectorAll('nav button').forEach((o) => o.classList.toggle('off', o !== b))
  show()
}))
$('filter').addEventListener('submit', (event) => { event.preventDefault(); show() })
$('booths').addEventListener('click', async (event) => {
  const action = event.target.dataset && event.target.dataset.action
  if (!action) return
  event.preventDefault()
  const f = new FormData($('booths'))
  try {
    if (action === 'code') {
      const r = await call('POST', 'enrolment-codes', { gateCode: f.get('gateCode') })
      $('result').textContent = '门岗 ' + r.gateCode + ' 的注册码：' + r.code + '（24 小时内有效，仅可使用一次）；工厂证书指纹：' + r.fingerprint
    } else {
      const r = await call('POST', 'revoke', { boothId: f.get('boothId') })
      $('result').textContent = r.revoked ? '已吊销岗亭 ' + f.get('boothId') : '没有找到该岗亭（或已吊销）'
    }
  } catch (error) { $('error').textContent = error.message }
})
`
