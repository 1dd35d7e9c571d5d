export default definePageConfig({ navigationBarTitleText: '工会排队详情', enablePullDownRefresh: true });
