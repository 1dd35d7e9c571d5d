export default definePageConfig({ navigationBarTitleText: 'queue' });
