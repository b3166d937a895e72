/**
 * The demonstration page: language, tabs, the development token, and the four flows. When every flow
 * has loaded its lists, `document.body.dataset.ready` is set (the end-to-end tests wait for it).
 */
import { call, devToken } from './api.js';
import { setUpAbroadFlow } from './abroad-flow.js';
import { describeError } from './dom.js';
import { formatTime, language, setLanguage, t } from './i18n.js';
import { setUpPharmacyFlow } from './pharmacy-flow.js';
import { setUpSummaryFlow } from './summary-flow.js';
import { setUpTabs } from './tabs.js';
import { setUpValidateFlow } from './validate-flow.js';

const LANGUAGE_KEY = 'ehds-no-demo-language';

const tokenStatus = document.getElementById('token-status');
const languageButton = document.getElementById('language');

async function showToken() {
  tokenStatus.textContent = t('tokenFetching');
  try {
    const token = await devToken();
    tokenStatus.textContent = t('tokenReady', { hpr: token.hpr, time: formatTime(new Date(token.expiresAt).toISOString()) });
    tokenStatus.classList.remove('error');
  } catch (error) {
    tokenStatus.textContent = t('tokenFailed', { message: describeError(error) });
    tokenStatus.classList.add('error');
  }
}

function applyLanguage(lang) {
  setLanguage(lang);
  languageButton.textContent = t('languageButton');
  languageButton.lang = t('languageButtonLang');
  void showToken();
}

languageButton.addEventListener('click', () => {
  const next = language() === 'nb' ? 'en' : 'nb';
  localStorage.setItem(LANGUAGE_KEY, next);
  applyLanguage(next);
});

setUpTabs(document.getElementById('tabs'));
applyLanguage(localStorage.getItem(LANGUAGE_KEY) ?? 'nb');

try {
  const config = (await call('/demo/api/config', { auth: false, accept: 'application/json' })).body;
  setUpValidateFlow();
  await Promise.all([setUpSummaryFlow(config), setUpAbroadFlow(), setUpPharmacyFlow()]);
} catch (error) {
  tokenStatus.textContent = describeError(error);
  tokenStatus.classList.add('error');
}
document.body.dataset.ready = 'true';
