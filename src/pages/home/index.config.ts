export default definePageConfig({ navigationBarTitleText: '排队返利商城', enablePullDownRefresh: true });
