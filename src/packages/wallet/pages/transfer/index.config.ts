export default definePageConfig({ navigationBarTitleText: '转让' });
