/**
 * The UI's words in Simplified Chinese (the default) and English. A typed catalogue: a missing English entry is a
 * compile error. Spec labels (emission stage, fuel, plate colour) come from src/shared/spec and stay Chinese.
 */
const zh = {
  appTitle: '门岗道闸管理',
  demo: '演示模式',
  loading: '正在连接主程序…',
  login: {
    title: '门岗值班登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    submitting: '登录中…',
    usernameRequired: '请输入用户名',
    passwordRequired: '请输入密码',
    demoHint: '演示账号：门卫 guard / guard123，管理员 admin / admin123'
  },
  duty: {
    onDuty: '当班',
    since: '接班于',
    handover: '交班',
    logout: '退出',
    handoverTitle: '交接班',
    incoming: '接班人用户名',
    incomingPassword: '接班人密码',
    note: '交班说明（可选）',
    confirm: '确认交班',
    cancel: '取消'
  },
  role: { guard: '门卫', admin: '管理员' },
  lane: {
    idle: '暂无车辆',
    noPhoto: '无车牌照片',
    emission: '排放阶段',
    fuel: '燃料',
    barrier: '道闸',
    loop: '地感',
    loopOccupied: '有车',
    loopFree: '无车',
    unknown: '未知',
    queued: '排队',
    devices: '设备',
    noDevices: '设备状态未知',
    active: '当前操作车道',
    select: '选择车道'
  },
  phase: { idle: '空闲', verifying: '核验中', decided: '已判定', barrier_open: '道闸已开', passing: '通行中' },
  arm: { up: '抬起', down: '落下', unknown: '未知' },
  device: { camera: '相机', barrier: '道闸', display: '显示屏', scale: '地磅', online: '在线', offline: '离线', error: '故障' },
  actions: {
    release: '人工放行',
    refuse: '人工拒绝',
    correct: '更正车牌',
    recapture: '重新抓拍',
    releaseTitle: '人工放行',
    refuseTitle: '人工拒绝',
    correctTitle: '更正车牌',
    reason: '放行原因',
    reasonPlaceholder: '请选择原因',
    note: '说明',
    confirmViolation: '该车被平台判定为禁止通行，确认放行并记为违规',
    confirmViolationRequired: '放行被拒车辆须勾选确认',
    reasonRequired: '请选择放行原因',
    plate: '车牌号',
    colour: '车牌颜色',
    ok: '确定',
    cancel: '取消',
    sending: '提交中…',
    nothingToCorrect: '该车道还没有可更正的过车记录',
    done: '已提交'
  },
  journal: {
    title: '过车记录',
    filterPlate: '车牌',
    filterLane: '车道',
    filterDecision: '判定',
    filterUpload: '上传',
    all: '全部',
    clear: '清除筛选',
    empty: '暂无过车记录',
    photos: '照片',
    noPhotos: '该记录没有照片',
    viewer: '过车照片',
    zoomHint: '点击照片放大，滚轮缩放'
  },
  alarms: {
    title: '告警',
    empty: '没有未处理的告警',
    ack: '确认处理',
    ackTitle: '处理告警',
    note: '处理说明',
    loadFailed: '告警读取失败',
    kinds: {
      forced_pass: '强行通过',
      dwell_overtime: '停留超时',
      repeated_refusal: '反复被拒',
      device_offline: '设备离线',
      clock_skew: '时钟偏差',
      sync_backlog: '上传积压'
    }
  },
  reports: { title: '统计报表' },
  audit: { title: '操作记录', empty: '暂无操作记录', actor: '操作人', action: '操作', subject: '对象', at: '时间', detail: '内容' },
  language: 'English'
}

export type Messages = typeof zh

const en: Messages = {
  appTitle: 'Gate booth',
  demo: 'Demo',
  loading: 'Connecting to the booth…',
  login: {
    title: 'Guard sign-in',
    username: 'User name',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    usernameRequired: 'Enter the user name',
    passwordRequired: 'Enter the password',
    demoHint: 'Demo accounts: guard guard / guard123, admin admin / admin123'
  },
  duty: {
    onDuty: 'On duty',
    since: 'since',
    handover: 'Hand over',
    logout: 'Sign out',
    handoverTitle: 'Shift hand-over',
    incoming: 'Incoming user',
    incomingPassword: 'Incoming password',
    note: 'Hand-over note (optional)',
    confirm: 'Hand over',
    cancel: 'Cancel'
  },
  role: { guard: 'guard', admin: 'admin' },
  lane: {
    idle: 'No truck',
    noPhoto: 'No plate photo',
    emission: 'Emission stage',
    fuel: 'Fuel',
    barrier: 'Barrier',
    loop: 'Loop',
    loopOccupied: 'occupied',
    loopFree: 'free',
    unknown: 'unknown',
    queued: 'Queued',
    devices: 'Devices',
    noDevices: 'Device state unknown',
    active: 'Active lane',
    select: 'Select lane'
  },
  phase: { idle: 'idle', verifying: 'verifying', decided: 'decided', barrier_open: 'barrier open', passing: 'passing' },
  arm: { up: 'up', down: 'down', unknown: 'unknown' },
  device: { camera: 'camera', barrier: 'barrier', display: 'display', scale: 'scale', online: 'online', offline: 'offline', error: 'error' },
  actions: {
    release: 'Release',
    refuse: 'Refuse',
    correct: 'Correct plate',
    recapture: 'Re-capture',
    releaseTitle: 'Manual release',
    refuseTitle: 'Manual refusal',
    correctTitle: 'Correct the plate',
    reason: 'Reason',
    reasonPlaceholder: 'Choose a reason',
    note: 'Note',
    confirmViolation: 'The platform refused this truck: release it and record a violation',
    confirmViolationRequired: 'Tick the box to release a refused truck',
    reasonRequired: 'Choose a reason',
    plate: 'Plate',
    colour: 'Plate colour',
    ok: 'OK',
    cancel: 'Cancel',
    sending: 'Sending…',
    nothingToCorrect: 'No passage on this lane to correct yet',
    done: 'Sent'
  },
  journal: {
    title: 'Passages',
    filterPlate: 'Plate',
    filterLane: 'Lane',
    filterDecision: 'Decision',
    filterUpload: 'Upload',
    all: 'All',
    clear: 'Clear filters',
    empty: 'No passages',
    photos: 'Photos',
    noPhotos: 'No photos for this passage',
    viewer: 'Passage photos',
    zoomHint: 'Click a photo to enlarge; scroll to zoom'
  },
  alarms: {
    title: 'Alarms',
    empty: 'No open alarms',
    ack: 'Acknowledge',
    ackTitle: 'Acknowledge alarm',
    note: 'Note',
    loadFailed: 'Alarms could not be loaded',
    kinds: {
      forced_pass: 'Forced pass',
      dwell_overtime: 'Dwell overtime',
      repeated_refusal: 'Repeated refusal',
      device_offline: 'Device offline',
      clock_skew: 'Clock skew',
      sync_backlog: 'Upload backlog'
    }
  },
  reports: { title: 'Reports' },
  audit: { title: 'Audit log', empty: 'Nothing logged yet', actor: 'By', action: 'Action', subject: 'Subject', at: 'Time', detail: 'Detail' },
  language: '中文'
}

export type Locale = 'zh' | 'en'
export const catalogues: Record<Locale, Messages> = { zh, en }
