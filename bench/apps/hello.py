import streamlit as st

st.write("hi")
