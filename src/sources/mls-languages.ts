/** MLS' language folder and Hub subset names (`mls_german`, `german`) → ISO 639-1, for the native and Hub loaders. */
export const MLS_LANGUAGES: Readonly<Record<string, string>> = {
  english: 'en',
  german: 'de',
  dutch: 'nl',
  french: 'fr',
  spanish: 'es',
  italian: 'it',
  portuguese: 'pt',
  polish: 'pl',
};
