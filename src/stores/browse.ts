// Hand-off to the 分类 tab (switchTab cannot carry query params).
import { create } from 'zustand';

interface BrowseState {
  categoryId: string | null;
  keyword: string;
  setCategory: (id: string | null) => void;
  setKeyword: (k: string) => void;
}

export const useBrowse = create<BrowseState>((set) => ({
  categoryId: null,
  keyword: '',
  setCategory: (categoryId) => set({ categoryId, keyword: '' }),
  setKeyword: (keyword) => set({ keyword, categoryId: null }),
}));
