export default definePageConfig({ navigationBarTitleText: '扫码买单' });
